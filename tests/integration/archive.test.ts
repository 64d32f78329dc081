// Archive (issue 11 part 5) against a real SQLite file and the test Meilisearch: every write into
// an archived space or project is refused with 409 by the one access rule, reads go on, lists and
// search leave it out unless asked, reminders and webhooks stop, and unarchiving restores it all.
import { beforeAll, describe, expect, it } from 'vitest';
import { can, pageControls, type Viewer } from '../../src/server/access/index.ts';
import { setGrants, spaceGrants } from '../../src/server/admin/grants.ts';
import { updateSpace } from '../../src/server/admin/spaces.ts';
import { setProjectArchived, setSpaceArchived } from '../../src/server/archive/archive.ts';
import { archivedShown } from '../../src/server/archive/lists.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { postComment } from '../../src/server/comments/comments.ts';
import { db, write } from '../../src/server/db.ts';
import { putDraft } from '../../src/server/editor/drafts.ts';
import { loadTarget } from '../../src/server/notify/deliver.ts';
import { sendDueReminders } from '../../src/server/notify/due-reminders.ts';
import { enqueueWebhookDeliveries } from '../../src/server/notify/webhooks.ts';
import { createWebhook, listWebhooks } from '../../src/server/notify/webhook-settings.ts';
import { deletePage, movePage } from '../../src/server/pages/move-page.ts';
import { loadPage } from '../../src/server/pages/get-page.ts';
import { mayManagePage, pageOwnership, updatePageOwnership } from '../../src/server/pages/ownership.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject, listProjects, projectSummary, setRules } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { importRequirements } from '../../src/server/requirements/csv-import.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { linkPage } from '../../src/server/requirements/links.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { listSpaces } from '../../src/server/spaces/spaces.ts';
import { createTemplate } from '../../src/server/templates/templates.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let owner: Viewer; // li.lei: owner (space admin) of ARC
let editor: Viewer;
let reader: Viewer;

const user = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: 'a long enough password' }), email, name, admin: false, locale: null });

beforeAll(async () => {
  ({ admin, member: owner } = await freshEnvironment('archive'));
  editor = await user('ed@example.com', 'Ed Editor');
  reader = await user('rita@example.com', 'Rita Reader');
  createProject(admin, { key: 'ARC', name: 'Archived project 归档项目', owner: 'li.lei@example.com', visibility: 'restricted' });
  setGrants(admin, 'arc', [{ user: 'li.lei@example.com', role: 'admin' }, { user: 'ed@example.com', role: 'editor' }, { user: 'rita@example.com', role: 'reader' }]);
  setGrants(admin, 'hr', [{ user: 'ed@example.com', role: 'editor' }]);
  await savePage(owner, { space: 'arc', path: 'plan', title: 'Glacier plan 冰川计划', markdown: 'The glacier plan for ARC.' });
  await savePage(editor, { space: 'hr', path: 'leave', title: 'Glacier leave policy', markdown: 'Glacier leave days.' });
  await submitRequirement(owner, 'ARC', { title: 'Glacier requirement', category: 'feature', due: '2020-01-01' });
  await drainOutbox();
});

describe('the access rule', () => {
  it('refuses every action but read and manage in an archived space, and hides the controls', () => {
    const archived = { id: 999, visibility: 'org' as const, archived: true };
    for (const action of ['contribute', 'edit', 'admin'] as const) expect(can(admin, action, archived)).toBe(false);
    expect(can(admin, 'read', archived)).toBe(true);
    expect(can(admin, 'manage', archived)).toBe(true);
    expect(Object.values(pageControls(admin, archived)).every((v) => v === false)).toBe(true);
    expect(pageControls(admin, { ...archived, archived: false }).edit).toBe(true);
  });
});

describe('archiving a project', () => {
  it('is refused to an editor (403), a reader (403) and an outsider (404)', async () => {
    const outsider = await user('out@example.com', 'Outsider');
    expect((await failure(() => setProjectArchived(editor, 'ARC', true))).status).toBe(403);
    expect((await failure(() => setProjectArchived(reader, 'ARC', true))).status).toBe(403);
    expect((await failure(() => setProjectArchived(outsider, 'ARC', true))).status).toBe(404);
    expect((await failure(() => setProjectArchived(null, 'ARC', true))).status).toBe(401);
    expect((await failure(() => setSpaceArchived(editor, 'hr', true))).status).toBe(403);
    expect(projectSummary(owner, 'ARC').archived).toBe(false);
  });

  it('makes the project and its space read-only: every write answers 409 and changes nothing', async () => {
    expect(setProjectArchived(owner, 'ARC', true)).toEqual({ key: 'ARC', archived: true });
    const space = db().$client.prepare("select archived from spaces where key = 'arc'").get() as { archived: number };
    expect(space.archived).toBe(1);
    const before = db().$client.prepare('select (select count(*) from requirement_events) e, (select count(*) from revisions) r, (select count(*) from page_comments) c').get();
    const writes: [string, () => unknown][] = [
      ['save a page', () => savePage(owner, { space: 'arc', path: 'plan', title: 'Changed', markdown: 'changed' })],
      ['create a page', () => savePage(admin, { space: 'arc', path: 'new', title: 'New', markdown: 'x' })],
      ['move a page', () => movePage(owner, 'arc', 'plan', 'elsewhere')],
      ['delete a page', () => deletePage(owner, 'arc', 'plan')],
      ['comment on a page', () => postComment(reader, 'arc', 'plan', { markdown: 'a comment' })],
      ['keep a draft', () => putDraft(editor, 'arc', 'plan', { title: 'x', markdown: 'y' })],
      ['add a template', () => createTemplate(owner, 'arc', { title: 'T', markdown: 'x' })],
      ['change space settings', () => updateSpace(owner, 'arc', { name: 'Renamed' })],
      ['submit a requirement', () => submitRequirement(reader, 'ARC', { title: 'x', category: 'feature' })],
      ['edit a requirement', () => editRequirement(owner, 'ARC-1', { title: 'changed' })],
      ['move a requirement', () => transitionRequirement(owner, 'ARC-1', { to: 'rejected' })],
      ['comment on a requirement', () => commentOn(reader, 'ARC-1', { comment: 'hello' })],
      ['link a page', () => linkPage(owner, 'ARC-1', { space: 'arc', path: 'plan', relation: 'plan' })],
      ['nudge', () => nudge(reader, 'ARC-1', {})],
      ['add a webhook', () => createWebhook(owner, 'ARC', { url: 'https://example.com/hook', format: 'json' })],
      ['change routing rules', () => setRules(owner, 'ARC', [])],
      ['import a spreadsheet', () => importRequirements(owner, 'ARC', { csv: 'Title,Category\nx,feature\n' })],
      ['site admin too', () => savePage(admin, { space: 'arc', path: 'plan', title: 'Admin', markdown: 'admin' })],
      ['verify a page, as its owner', () => updatePageOwnership(owner, 'arc', 'plan', { verified: true })],
      ['change its owner', () => updatePageOwnership(owner, 'arc', 'plan', { owner: 'ed@example.com' })],
      ['set its review date, as a site admin', () => updatePageOwnership(admin, 'arc', 'plan', { reviewBy: '2030-01-01' })],
    ];
    for (const [what, write] of writes) {
      const err = await failure(write);
      expect([what, err.status, err.message]).toEqual([what, 409, 'This space is archived']);
    }
    expect(db().$client.prepare('select (select count(*) from requirement_events) e, (select count(*) from revisions) r, (select count(*) from page_comments) c').get()).toEqual(before);
    // Nor is the owner's form for them offered there.
    const { space: arc, page: plan } = loadPage(owner, 'arc', 'plan');
    expect(pageOwnership(plan.id).ownerId).toBe(owner.id);
    expect([mayManagePage(owner, arc, owner.id), mayManagePage(admin, arc, owner.id)]).toEqual([false, false]);
    expect(pageOwnership(plan.id)).toMatchObject({ verifiedAt: null, reviewBy: null });
  });

  it('still lets everyone with access read it, and its admin manage who may', () => {
    expect(loadPage(reader, 'arc', 'plan').page.title).toBe('Glacier plan 冰川计划');
    expect(getRequirement(reader, 'ARC-1').canEdit).toBe(false);
    expect(projectSummary(owner, 'ARC')).toMatchObject({ archived: true, canEdit: false, canAdmin: true });
    expect(listWebhooks(owner, 'ARC')).toEqual([]);
    expect(spaceGrants(owner, 'arc').length).toBe(3);
  });

  it('leaves it out of lists and search unless asked for', async () => {
    expect(archivedShown(listProjects(owner), false).rows.map((p) => p.key)).not.toContain('ARC');
    expect(archivedShown(listProjects(owner), true).rows.find((p) => p.key === 'ARC')).toMatchObject({ archived: true });
    expect(archivedShown(listSpaces(owner), false)).toMatchObject({ hidden: 1 });
    // At once, before the index has heard of it: which spaces are archived is read from SQLite.
    const titles = async (archived: boolean) => (await search(editor, { q: 'glacier', archived })).hits.map((h) => h.title).sort();
    expect(await titles(false)).toEqual(['Glacier leave policy']);
    expect(await titles(true)).toEqual(['ARC-1 Glacier requirement', 'Glacier leave policy', 'Glacier plan 冰川计划']);
  });

  it('sends no due reminders for an archived project', () => {
    const count = () => (db().$client.prepare("select count(*) n from notifications where kind in ('due-soon', 'overdue')").get() as { n: number }).n;
    expect(sendDueReminders()).toBe(0);
    expect(count()).toBe(0);
  });

  it('restores everything on unarchive: writes, lists, search, reminders', async () => {
    expect(setProjectArchived(owner, 'ARC', false)).toEqual({ key: 'ARC', archived: false });
    await savePage(owner, { space: 'arc', path: 'plan', title: 'Glacier plan 冰川计划', markdown: 'The glacier plan, revised.' });
    await commentOn(reader, 'ARC-1', { comment: 'back again' });
    expect(archivedShown(listProjects(owner), false).rows.map((p) => p.key)).toContain('ARC');
    expect((await search(editor, { q: 'glacier' })).hits).toHaveLength(3); // at once, too
    await drainOutbox();
    expect((await search(editor, { q: 'glacier' })).hits).toHaveLength(3);
    expect(sendDueReminders()).toBeGreaterThan(0);
  });
});

describe('archiving a space', () => {
  it('through its settings: the flag alone passes while archived, other settings wait for unarchive', async () => {
    expect(updateSpace(admin, 'hr', { archived: true })).toMatchObject({ key: 'hr', archived: true });
    expect((await failure(() => savePage(editor, { space: 'hr', path: 'leave', title: 'x', markdown: 'x' }))).status).toBe(409);
    expect((await failure(() => updateSpace(admin, 'hr', { description: 'x' }))).status).toBe(409);
    // Unarchiving and changing a setting in one request is allowed: the space is writable again.
    expect(updateSpace(admin, 'hr', { archived: false, description: 'People policies' })).toMatchObject({ archived: false, description: 'People policies' });
    expect(setSpaceArchived(admin, 'hr', false)).toMatchObject({ archived: false });
    await savePage(editor, { space: 'hr', path: 'leave', title: 'Glacier leave policy', markdown: 'Glacier leave days, revised.' });
  });

  it('archiving a project space from the space settings archives its project with it', () => {
    setSpaceArchived(owner, 'arc', true);
    expect(projectSummary(owner, 'ARC').archived).toBe(true);
    expect(listProjects(owner).find((p) => p.key === 'ARC')!.archived).toBe(true);
    setSpaceArchived(owner, 'arc', false);
    expect(listProjects(owner).find((p) => p.key === 'ARC')!.archived).toBe(false);
  });
});

describe('webhooks of an archived project', () => {
  it('get no new deliveries, and one still queued is not sent', async () => {
    process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true'; // a loopback receiver nobody listens on: nothing is sent here
    await createWebhook(owner, 'ARC', { url: 'http://127.0.0.1:9/hook', format: 'json' });
    delete process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE;
    await commentOn(reader, 'ARC-1', { comment: 'queued before archiving' });
    const one = (sql: string) => (db().$client.prepare(sql).get() as { n: number }).n;
    const deliveries = () => one('select count(*) n from webhook_deliveries');
    const queued = deliveries();
    expect(queued).toBe(1);
    setProjectArchived(owner, 'ARC', true);
    const projectId = one("select id n from projects where key = 'ARC'");
    write((tx) => enqueueWebhookDeliveries(tx, projectId, one('select max(id) n from requirement_events'), 'commented'));
    expect(deliveries()).toBe(queued);
    expect(loadTarget(one('select max(id) n from webhook_deliveries'))).toMatchObject({ archived: true });
    setProjectArchived(owner, 'ARC', false);
    expect(loadTarget(one('select max(id) n from webhook_deliveries'))).toMatchObject({ archived: false });
  });
});
