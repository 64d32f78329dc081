// Row-level visibility: a restricted requirement (its own flag, or its category's) is seen by its
// reporter, assignee, queue group, explicit viewers, project admins and site admins, and by nobody
// else on any surface: page, list, board, my work, search, figures, CSV, inbox, pages that mention
// it, a page's requirement list, webhook payloads.
import { beforeAll, describe, expect, it } from 'vitest';
import { readableRequirementsSql, type Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { loadTarget } from '../../src/server/notify/deliver.ts';
import { projectTags } from '../../src/server/desk/settings.ts';
import { buildRequest } from '../../src/server/notify/formats.ts';
import { listNotifications } from '../../src/server/notify/inbox.ts';
import { createWebhook } from '../../src/server/notify/webhook-settings.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject, listProjects, projectSummary, setCategories, setRules } from '../../src/server/projects/projects.ts';
import { projectBoard } from '../../src/server/requirements/board.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { exportProjectCsv } from '../../src/server/requirements/csv-export.ts';
import { projectDashboard } from '../../src/server/requirements/dashboard.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { listRequirements, myWork, reportedByMe } from '../../src/server/requirements/list.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { failure, freshEnvironment } from './setup-env.ts';

const ROLES = ['reporter', 'assignee', 'queue', 'explicit', 'projectAdmin', 'siteAdmin', 'otherEditor', 'otherReader'] as const;
type Role = (typeof ROLES)[number];
const people = {} as Record<Role, Viewer>;

// SEC-1: restricted by its own flag, with an assignee and an explicit viewer.
// SEC-2: restricted by its category (issue), waiting in the "desk" queue.
// SEC-3: an ordinary requirement, the control.
const READERS: Record<string, Role[]> = {
  'SEC-1': ['reporter', 'assignee', 'explicit', 'projectAdmin', 'siteAdmin'],
  'SEC-2': ['reporter', 'queue', 'projectAdmin', 'siteAdmin'],
  'SEC-3': [...ROLES],
};
const KEYS = Object.keys(READERS);
/** Each requirement's one tag: a restricted requirement's tags are as hidden as its title. */
const TAGS: Record<string, string> = { 'SEC-1': 'refundtag', 'SEC-2': 'outagetag', 'SEC-3': 'roadmaptag' };
const mayRead = (role: Role, key: string) => READERS[key]!.includes(role);

async function person(role: Role, admin = false): Promise<Viewer> {
  const email = `${role.toLowerCase()}@example.com`;
  const id = await createUser({ email, name: `${role} person`, password: 'a long enough password', admin });
  return { id, email, name: `${role} person`, admin, locale: null };
}

let webhookId = 0;

beforeAll(async () => {
  const env = await freshEnvironment('rowlevel');
  for (const role of ROLES) people[role] = role === 'siteAdmin' ? env.admin : await person(role);
  createProject(env.admin, { key: 'SEC', name: 'Secure desk', owner: people.projectAdmin.email, visibility: 'restricted' });
  setGrants(env.admin, 'sec', [
    { user: people.projectAdmin.email, role: 'admin' },
    // A queue group must be able to work on what its rule sends (the desk refuses the rule otherwise).
    ...(['reporter', 'assignee', 'otherEditor', 'queue'] as const).map((r) => ({ user: people[r].email, role: 'editor' as const })),
    ...(['explicit', 'otherReader'] as const).map((r) => ({ user: people[r].email, role: 'reader' as const })),
  ]);
  addGroup(env.admin, 'desk');
  setGroupMembers(env.admin, 'desk', [people.queue.email]);
  setRules(people.projectAdmin, 'SEC', [{ category: 'issue', group: 'desk' }]);
  process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true'; // the receiver is never called here: only payloads are built
  webhookId = (await createWebhook(people.projectAdmin, 'SEC', { url: 'http://127.0.0.1:9/hook', format: 'json' })).id;

  await submitRequirement(people.reporter, 'SEC', { title: 'Zanzibar refund for ACME', category: 'feature', description: 'zanzibar secret', tags: [TAGS['SEC-1']!] });
  await submitRequirement(people.reporter, 'SEC', { title: 'Zanzibar outage at ACME', category: 'issue', description: 'zanzibar customer', tags: [TAGS['SEC-2']!] });
  await submitRequirement(people.reporter, 'SEC', { title: 'Zanzibar public roadmap', category: 'feature', description: 'zanzibar everyone', tags: [TAGS['SEC-3']!] });
  // Before the restriction, another reader was mentioned on SEC-1: the inbox item must go quiet.
  commentOn(people.reporter, 'SEC-1', { comment: `@${people.otherReader.email} have a look` });
  await editRequirement(people.reporter, 'SEC-1', { assignee: people.assignee.email });
  await editRequirement(people.otherEditor, 'SEC-1', { restricted: true, viewers: [people.explicit.email] });
  const summary = projectSummary(people.projectAdmin, 'SEC');
  setCategories(people.projectAdmin, 'SEC', summary.categories.map((c) => (c.key === 'issue' ? { ...c, restricted: true } : c)));
  await savePage(env.admin, { space: 'eng', path: 'status', title: 'Status report', markdown: 'This week: SEC-1, SEC-2 and SEC-3.' });
  setGrants(env.admin, 'eng', [{ user: 'li.lei@example.com', role: 'editor' }, ...ROLES.filter((r) => r !== 'siteAdmin').map((r) => ({ user: people[r].email, role: 'reader' as const }))]);
  await drainOutbox();
});

const status = async (fn: () => unknown) => {
  try { await fn(); return 200; } catch (err) { return (err as { status?: number }).status ?? 500; }
};

describe('who may read a restricted requirement', () => {
  it('takes the restricting editor in as an explicit viewer, so an edit never locks its author out', async () => {
    expect(getRequirement(people.otherEditor, 'SEC-1').viewers.map((p) => p.email).sort()).toEqual([people.explicit.email, people.otherEditor.email].sort());
    // The reporter restricting their own requirement is not added: they can read it anyway.
    await editRequirement(people.reporter, 'SEC-3', { restricted: true });
    expect(getRequirement(people.reporter, 'SEC-3').viewers).toEqual([]);
    await editRequirement(people.reporter, 'SEC-3', { restricted: false });
    // Then drop the other editor again: from now on they are just another editor.
    await editRequirement(people.reporter, 'SEC-1', { viewers: [people.explicit.email] });
    expect(getRequirement(people.reporter, 'SEC-1').viewers.map((p) => p.email)).toEqual([people.explicit.email]);
  });

  for (const role of ROLES) {
    it(`${role}: requirement page and API answer 404 exactly where it may not read`, async () => {
      for (const key of KEYS) {
        const got = await status(() => getRequirement(people[role], key));
        expect([key, got]).toEqual([key, mayRead(role, key) ? 200 : 404]);
        // Writing to it is also a 404, never a 403 that would confirm it exists.
        if (!mayRead(role, key)) {
          expect(await status(() => commentOn(people[role], key, { comment: 'hello' }))).toBe(404);
          expect(await status(() => editRequirement(people[role], key, { title: 'taken over' }))).toBe(404);
          expect(await status(() => transitionRequirement(people[role], key, { to: 'approved' }))).toBe(404);
        }
      }
    });

    it(`${role}: project list, board, CSV, figure cards and the submit form's tags show only what it may read`, () => {
      const visible = KEYS.filter((k) => mayRead(role, k));
      expect(listRequirements(people[role], 'SEC', {}).map((r) => r.key)).toEqual(visible);
      const board = ['feature', 'issue'].flatMap((c) => projectBoard(people[role], 'SEC', c).columns.flatMap((col) => col.cards.map((card) => card.key)));
      expect(board.sort()).toEqual(visible);
      const csv = exportProjectCsv(people[role], 'SEC', {}).body;
      for (const key of KEYS) expect([key, csv.includes(`"${key}"`)]).toEqual([key, mayRead(role, key)]);
      expect(csv.includes('ACME')).toBe(mayRead(role, 'SEC-1') || mayRead(role, 'SEC-2'));
      expect(projectDashboard(people[role], 'SEC').open).toBe(visible.length);
      expect(listProjects(people[role]).find((p) => p.key === 'SEC')!.open).toBe(visible.length);
      expect(projectTags(people[role], 'SEC').sort()).toEqual(visible.map((k) => TAGS[k]).sort());
    });

    it(`${role}: search finds only what it may read, facets included`, async () => {
      const res = await search(people[role], { q: 'zanzibar', facets: true });
      expect(res.hits.map((h) => h.path).sort()).toEqual(KEYS.filter((k) => mayRead(role, k)));
      expect(res.total).toBe(KEYS.filter((k) => mayRead(role, k)).length);
    });

    it(`${role}: a page that mentions the keys shows title and status only where it may read`, () => {
      const page = viewPage(people[role], 'eng', 'status');
      for (const key of KEYS) {
        const badge = new RegExp(`data-req="${key}">${key}</a><span class="status-badge`);
        expect([key, badge.test(page.html)]).toEqual([key, mayRead(role, key)]);
        expect(page.html).toContain(key); // the key itself stays, as plain text
      }
      expect(page.html.includes('ACME')).toBe(mayRead(role, 'SEC-1') || mayRead(role, 'SEC-2'));
      expect(page.requirements.map((r) => r.key)).toEqual(KEYS.filter((k) => mayRead(role, k)));
    });

    it(`${role}: the SQL predicate agrees with the page check`, () => {
      const p = readableRequirementsSql(people[role], 'r');
      const keys = db().$client.prepare<(string | number)[], { key: string }>(`select r.key from requirements r where ${p.sql} order by r.id`).all(...p.params).map((r) => r.key);
      expect(keys.filter((k) => k.startsWith('SEC-'))).toEqual(KEYS.filter((k) => mayRead(role, k)));
    });
  }

  it('my work and "reported by me" list restricted items for their people', () => {
    expect(myWork(people.assignee).map((r) => r.key)).toContain('SEC-1');
    expect(myWork(people.queue).map((r) => r.key)).toEqual(['SEC-2']);
    expect(reportedByMe(people.reporter).map((r) => r.key).sort()).toEqual(KEYS);
    expect(listRequirements(people.reporter, 'SEC', {}).find((r) => r.key === 'SEC-2')!.restricted).toBe(true);
    expect(listRequirements(people.reporter, 'SEC', {}).find((r) => r.key === 'SEC-3')!.restricted).toBe(false);
  });

  it('an inbox item about a requirement the recipient can no longer read says nothing about it', () => {
    const items = listNotifications(people.otherReader).items.filter((i) => i.kind === 'mentioned' || i.kind === 'commented');
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item).toMatchObject({ key: null, title: null, status: null, href: null, hidden: true });
    // While it is restricted, mentioning them tells them nothing at all; the explicit viewer is told.
    const count = (v: Viewer) => listNotifications(v, { limit: 200 }).items.length;
    const [otherBefore, explicitBefore] = [count(people.otherReader), count(people.explicit)];
    commentOn(people.reporter, 'SEC-1', { comment: `@${people.otherReader.email} @${people.explicit.email} any news?` });
    expect(count(people.otherReader)).toBe(otherBefore);
    expect(count(people.explicit)).toBe(explicitBefore + 1);
    const assigneeItems = listNotifications(people.assignee).items.filter((i) => i.key === 'SEC-1');
    expect(assigneeItems.length).toBeGreaterThan(0);
    expect(assigneeItems[0]!.title).toBe('Zanzibar refund for ACME');
  });

  it('a webhook gets only the key and a link for a restricted requirement, everything for others', () => {
    const deliveries = db().$client.prepare<[number], { id: number; key: string }>(
      `select d.id, r.key from webhook_deliveries d join requirement_events e on e.id = d.event_id join requirements r on r.id = e.requirement_id where d.webhook_id = ?`,
    ).all(webhookId);
    for (const key of KEYS) expect(deliveries.some((d) => d.key === key)).toBe(true);
    for (const d of deliveries) {
      const target = loadTarget(d.id)!;
      for (const format of ['json', 'lark', 'slack'] as const) {
        const body = buildRequest(format, target.event, null).body;
        expect(body).toContain(d.key);
        expect(body).toContain(`/p/SEC/${d.key}`);
        expect([d.key, format, body.includes('Zanzibar')]).toEqual([d.key, format, d.key === 'SEC-3']);
      }
      if (d.key !== 'SEC-3') {
        expect(JSON.parse(buildRequest('json', target.event, null).body)).toEqual({
          id: target.event.eventId, event: target.event.event, project: { key: 'SEC', name: 'Secure desk' },
          requirement: { key: d.key, url: expect.stringContaining(`/p/SEC/${d.key}`), restricted: true }, at: target.event.at,
        });
      }
    }
  });

  it('lifting the restriction shows it to everyone again; restricting the category hides all of it', async () => {
    await editRequirement(people.reporter, 'SEC-1', { restricted: false });
    expect(await status(() => getRequirement(people.otherReader, 'SEC-1'))).toBe(200);
    await editRequirement(people.reporter, 'SEC-1', { restricted: true });
    expect(await status(() => getRequirement(people.otherReader, 'SEC-1'))).toBe(404);
    expect(getRequirement(people.reporter, 'SEC-1').events.at(-1)).toMatchObject({ kind: 'changed', fields: expect.arrayContaining(['restricted']) });
  });
});

describe('bad visibility input', () => {
  it('answers 422 naming unknown viewers, 400 for wrong shapes, and changes nothing', async () => {
    const before = getRequirement(people.reporter, 'SEC-1');
    const unknown = await failure(() => editRequirement(people.reporter, 'SEC-1', { viewers: [people.explicit.email, 'nobody@example.com'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.extra.unknown).toEqual(['nobody@example.com']);
    for (const bad of [{ restricted: 'yes' }, { restricted: 1 }, { viewers: 'a@example.com' }, { viewers: [42] }, { viewers: Array.from({ length: 201 }, (_, i) => `u${i}@example.com`) }]) {
      expect((await failure(() => editRequirement(people.reporter, 'SEC-1', bad))).status).toBe(400);
    }
    expect(getRequirement(people.reporter, 'SEC-1')).toMatchObject({ version: before.version, restricted: true, viewers: before.viewers });
  });

  it('a reader may not restrict (403); an unknown flag type on a category is refused (400)', async () => {
    expect((await failure(() => editRequirement(people.otherReader, 'SEC-3', { restricted: true }))).status).toBe(403);
    const cats = projectSummary(people.projectAdmin, 'SEC').categories;
    expect((await failure(() => setCategories(people.projectAdmin, 'SEC', cats.map((c) => ({ ...c, restricted: 'yes' }))))).status).toBe(400);
    expect((await failure(() => setCategories(people.otherEditor, 'SEC', cats))).status).toBe(403);
  });
});
