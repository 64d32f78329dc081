// Issue 9's setup: a restricted space `vault` with a page whose title, path and body carry unique
// words, an org-visible project ORG whose ORG-1 links to that page and is mentioned in it, a public
// page that wiki-links to it, and a restricted project SEC. Two ordinary users probe it: one who
// never had a grant on vault, one whose grant was revoked. Nothing of vault may reach either.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db, write } from '../../src/server/db.ts';
import { buildRequest } from '../../src/server/notify/formats.ts';
import { loadTarget } from '../../src/server/notify/deliver.ts';
import { listNotifications } from '../../src/server/notify/inbox.ts';
import { createWebhook } from '../../src/server/notify/webhook-settings.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { viewRevision } from '../../src/server/pages/history.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { upgradeStoredHtml } from '../../src/server/pages/upgrade-stored-html.ts';
import { createProject, projectSummary } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { linkPage } from '../../src/server/requirements/links.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { getSpace } from '../../src/server/spaces/spaces.ts';
import { failure, freshEnvironment } from './setup-env.ts';

const SECRET = /zebraquill|vaultplanpath|obsidianfalcon/i; // title, path, body words of the vault page
let admin: Viewer;
let keeper: Viewer; // reads vault
let never: Viewer; // never had a grant on vault
let revoked: Viewer; // had one, lost it

const person = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: `${name} has a long password` }), email, name, admin: false, locale: null });

beforeAll(async () => {
  process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true'; // the webhook below is never delivered to
  ({ admin } = await freshEnvironment('sidedoors'));
  keeper = await person('keeper@example.com', 'Keeper');
  never = await person('never@example.com', 'Never');
  revoked = await person('revoked@example.com', 'Revoked');
  write((tx) => {
    upsertSpace(tx, { key: 'vault', name: 'Vault', visibility: 'restricted' });
    upsertSpace(tx, { key: 'pub', name: 'Public' });
  });
  setGrants(admin, 'vault', [{ user: keeper.email, role: 'editor' }, { user: revoked.email, role: 'reader' }]);
  setGrants(admin, 'pub', [{ user: keeper.email, role: 'editor' }, { user: never.email, role: 'editor' }, { user: revoked.email, role: 'editor' }]);
  createProject(admin, { key: 'ORG', name: 'Org project', owner: keeper.email });
  createProject(admin, { key: 'SEC', name: 'Secret project', owner: keeper.email, visibility: 'restricted' });
  setGrants(admin, 'org', [{ user: keeper.email, role: 'admin' }, { user: never.email, role: 'editor' }]);
  await submitRequirement(keeper, 'SEC', { title: 'Sealed thing', category: 'feature' });
  // ORG-1 is the revoked user's; they watch it, so they hear about what happens to it.
  await submitRequirement(keeper, 'ORG', { title: 'Public requirement', category: 'feature' });
  await editRequirement(keeper, 'ORG-1', { assignee: revoked.email });
  await createWebhook(admin, 'ORG', { url: 'http://127.0.0.1:9/hook', format: 'lark' });
  await savePage(keeper, { space: 'vault', path: 'vaultplanpath', title: 'Zebraquill plan', markdown: 'The obsidianfalcon budget, for ORG-1.' });
  linkPage(keeper, 'ORG-1', { space: 'vault', path: 'vaultplanpath', relation: 'plan' });
  await savePage(keeper, { space: 'pub', path: 'linker', title: 'Linker', markdown: 'See [[vault:Zebraquill plan]], [[vault:No such page]], SEC-1 and NOPE-1.' });
  setGrants(admin, 'vault', [{ user: keeper.email, role: 'editor' }]);
});

describe('derived views tell nobody about what they may not read', () => {
  it('a requirement shows neither the restricted documents nor their events', () => {
    for (const v of [never, revoked]) {
      const view = getRequirement(v, 'ORG-1');
      expect(view.documents).toEqual([]);
      expect(JSON.stringify(view)).not.toMatch(SECRET);
      expect(view.events.filter((e) => e.kind === 'linked' || e.kind === 'mentioned').map((e) => e.space)).toEqual([undefined, undefined]);
    }
    const kept = getRequirement(keeper, 'ORG-1');
    expect(kept.documents.map((d) => d.relation).sort()).toEqual(['mention', 'plan']);
    expect(kept.events.find((e) => e.kind === 'linked')).toMatchObject({ space: 'vault', path: 'vaultplanpath', title: 'Zebraquill plan' });
  });

  it('a wiki link to a page the reader may not read is the link to a page that does not exist', () => {
    const links = (v: Viewer) => [...viewPage(v, 'pub', 'linker').html.matchAll(/<a [^>]*>[^<]*<\/a>/g)].map((m) => m[0]);
    for (const v of [never, revoked]) {
      const [hidden, missing] = links(v);
      // The same link but for the title the writer typed (which the reader can see in the source anyway).
      expect(hidden!.replace(/Zebraquill(%20| |-)plan/gi, 'X')).toBe(missing!.replace(/No(%20| |-)such(%20| |-)page/gi, 'X'));
      expect(viewPage(v, 'pub', 'linker').html).not.toMatch(/vaultplanpath/);
    }
    expect(links(keeper)[0]).toBe('<a href="/s/vault/vaultplanpath" class="wikilink" data-wiki="vault/Zebraquill%20plan">Zebraquill plan</a>');
    // Stored HTML is the same for everyone and names no real path.
    expect(db().$client.prepare("select html from pages where path = 'linker'").pluck().get()).not.toMatch(/vaultplanpath/);
  });

  it('HTML stored by an older version, with resolved links, is rendered again at start', async () => {
    const old = '<p>See <a href="/s/vault/vaultplanpath" class="wikilink">Zebraquill plan</a></p>';
    db().$client.prepare("update pages set html = ? where path = 'linker'").run(old);
    expect(viewPage(never, 'pub', 'linker').html).toBe(old); // what an upgrade must not leave behind
    expect(await upgradeStoredHtml()).toBe(1);
    expect(viewPage(never, 'pub', 'linker').html).not.toMatch(/vaultplanpath/);
    expect(viewPage(keeper, 'pub', 'linker').html).toContain('href="/s/vault/vaultplanpath"');
    expect(await upgradeStoredHtml()).toBe(0);
  });

  it('a task list stored before its boxes were named is rendered again at start', async () => {
    await savePage(admin, { space: 'pub', path: 'todo', title: 'To do', markdown: '- [ ] call the vendor' });
    db().$client.prepare("update pages set html = '<ul class=\"contains-task-list\"><li class=\"task-list-item\"><input type=\"checkbox\" disabled> call the vendor</li></ul>' where path = 'todo'").run();
    db().$client.pragma('user_version = 1');
    expect(await upgradeStoredHtml()).toBe(1);
    expect(viewPage(admin, 'pub', 'todo').html).toContain('aria-label="call the vendor"');
    expect(await upgradeStoredHtml()).toBe(0);
  });

  it('heading anchors stored in the tab order (announced as nothing) are rendered again at start, out of it', async () => {
    await savePage(admin, { space: 'pub', path: 'anchored', title: 'Anchored', markdown: '## Steps\n\nDo it.' });
    db().$client.prepare("update pages set html = ? where path = 'anchored'").run('<h2 id="steps">Steps<a class="anchor" href="#steps" aria-hidden="true">#</a></h2>');
    db().$client.pragma('user_version = 2');
    expect(await upgradeStoredHtml()).toBe(1);
    expect(viewPage(admin, 'pub', 'anchored').html).toContain('aria-hidden="true" tabindex="-1">#</a>');
    expect(await upgradeStoredHtml()).toBe(0);
  });

  it('writing a link is no oracle: the writer reads back the same for a real and an invented title', async () => {
    await savePage(never, { space: 'pub', path: 'probe', title: 'Probe', markdown: '[[vault:Zebraquill plan]]\n\n[[vault:Zebraquill planx]]' });
    const html = viewPage(never, 'pub', 'probe').html;
    const [a, b] = [...html.matchAll(/<a [^>]*>/g)].map((m) => m[0].replace(/planx|plan/gi, 'P'));
    expect(a).toBe(b);
    expect((await viewRevision(never, 'pub', 'probe', 1, 'en')).html).toBe(html);
  });

  it('a key of a project the reader may not read is plain text, like a key of no project', () => {
    const html = viewPage(never, 'pub', 'linker').html;
    expect(html).toContain(', SEC-1 and NOPE-1.');
    expect(html).not.toContain('data-req');
    expect(viewPage(keeper, 'pub', 'linker').html).toContain('data-req="SEC-1"');
  });

  it('an inbox item about something the recipient can no longer read shows no title', async () => {
    await savePage(keeper, { space: 'vault', path: 'vaultplanpath', markdown: 'The obsidianfalcon budget, for ORG-1, revised.' });
    await savePage(keeper, { space: 'vault', path: 'second', title: 'Zebraquill annex', markdown: 'Also ORG-1.' });
    commentOn(keeper, 'ORG-1', { comment: 'Please look' });
    const items = listNotifications(revoked).items;
    expect(items.some((i) => i.kind === 'mentioned')).toBe(true);
    expect(items.some((i) => i.kind === 'commented' && i.title === 'Public requirement')).toBe(true);
    expect(JSON.stringify(items)).not.toMatch(SECRET);
    // Once the project itself is out of reach, its items say nothing about it.
    write((tx) => tx.$client.prepare("update spaces set visibility = 'restricted' where key = 'org'").run());
    const hidden = listNotifications(revoked).items;
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((i) => i.hidden && i.title === null && i.key === null)).toBe(true);
    expect(JSON.stringify(hidden)).not.toMatch(/Public requirement|Please look|ORG/);
    write((tx) => tx.$client.prepare("update spaces set visibility = 'org' where key = 'org'").run());
  });

  it('a webhook payload carries only what every reader of the project may read', () => {
    const deliveries = db().$client.prepare<[], { id: number }>('select id from webhook_deliveries order by id').all();
    expect(deliveries.length).toBeGreaterThan(2);
    for (const { id } of deliveries) {
      const target = loadTarget(id)!;
      for (const format of ['json', 'lark', 'slack'] as const) expect(buildRequest(format, target.event, 's3cret').body).not.toMatch(SECRET);
    }
    const linked = deliveries.map(({ id }) => loadTarget(id)!.event).find((e) => e.event === 'linked')!;
    expect(buildRequest('lark', linked, null).body).toContain('(restricted)');
  });
});

describe('not found is one answer', () => {
  const answer = async (fn: () => unknown) => {
    const err = await failure(fn);
    return { status: err.status, message: err.message, extra: err.extra };
  };

  it('for spaces, pages, projects and requirements, unreadable or missing', async () => {
    const missing = await answer(() => getSpace(never, 'nope'));
    expect(missing.status).toBe(404);
    expect(await answer(() => getSpace(never, 'vault'))).toEqual(missing);
    expect(await answer(() => viewPage(never, 'vault', 'vaultplanpath'))).toEqual(missing);
    expect(await answer(() => viewPage(never, 'pub', 'no-such-page'))).toEqual(missing);
    expect(await answer(() => projectSummary(never, 'SEC'))).toEqual(missing);
    expect(await answer(() => projectSummary(never, 'NOPE'))).toEqual(missing);
    expect(await answer(() => getRequirement(never, 'SEC-1'))).toEqual(missing);
    expect(await answer(() => getRequirement(never, 'ORG-99'))).toEqual(missing);
    expect(await answer(() => linkPage(keeper, 'ORG-1', { space: 'nope', path: 'x', relation: 'plan' }))).toEqual(missing);
    expect(await answer(() => linkPage(never, 'ORG-1', { space: 'vault', path: 'vaultplanpath', relation: 'plan' }))).toEqual(
      await answer(() => linkPage(never, 'ORG-1', { space: 'pub', path: 'nothing-here', relation: 'plan' })));
    expect(await answer(() => savePage(never, { space: 'vault', path: 'x', markdown: 'x' }))).toEqual(missing);
    expect(await answer(() => savePage(never, { space: 'nope', path: 'x', markdown: 'x' }))).toEqual(missing);
  });
});
