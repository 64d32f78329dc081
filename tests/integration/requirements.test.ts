import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { createProject, projectSummary, setCategories, setRules } from '../../src/server/projects/projects.ts';
import { DEFAULT_CATEGORIES } from '../../src/server/projects/workflow.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { linkPage, pageRequirements } from '../../src/server/requirements/links.ts';
import { listRequirements, myWork } from '../../src/server/requirements/list.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let support: Viewer;
let outsider: Viewer;

const inbox = (userId: number) => db().$client.prepare<[number], { kind: string; data: string }>('select kind, data from notifications where user_id = ? order by id').all(userId);

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('requirements'));
  const supportId = await createUser({ email: 'wang.fang@example.com', name: '王芳', password: 'a long support password' });
  const outsiderId = await createUser({ email: 'out@example.com', name: 'Outsider', password: 'a long outsider password' });
  support = { id: supportId, email: 'wang.fang@example.com', name: '王芳', admin: false, locale: null };
  outsider = { id: outsiderId, email: 'out@example.com', name: 'Outsider', admin: false, locale: null };
  createProject(admin, { key: 'PAY', name: 'Payments', owner: 'li.lei@example.com', visibility: 'restricted' });
  setGrants(admin, 'pay', [{ user: 'li.lei@example.com', role: 'admin' }, { user: 'wang.fang@example.com', role: 'editor' }]);
  addGroup(admin, 'support-team');
  setGroupMembers(admin, 'support-team', ['wang.fang@example.com']);
});

describe('projects', () => {
  it('creates the project with its own project space and the three default categories', () => {
    const p = projectSummary(member, 'PAY');
    expect(p).toMatchObject({ key: 'PAY', space: 'pay', owner: { email: 'li.lei@example.com' }, canAdmin: true });
    expect(p.categories.map((c) => c.key)).toEqual(['feature', 'change', 'issue']);
    expect(p.categories[0]!.name).toEqual({ en: 'Feature request', zh: '需求' });
  });

  it('refuses bad keys, duplicates and non-admins', async () => {
    expect((await failure(() => createProject(admin, { key: 'pay', name: 'x' }))).status).toBe(400);
    expect((await failure(() => createProject(admin, { key: 'P', name: 'x' }))).status).toBe(400);
    expect((await failure(() => createProject(admin, { key: 'PAY', name: 'x' }))).status).toBe(409);
    expect((await failure(() => createProject(member, { key: 'ZZ', name: 'x' }))).status).toBe(403);
  });

  it('hides a restricted project from outsiders (404, not 403)', async () => {
    expect((await failure(() => projectSummary(outsider, 'PAY'))).status).toBe(404);
  });
});

describe('requirements', () => {
  it('numbers per project and routes by rule, else to the owner', async () => {
    setRules(member, 'PAY', [{ category: 'issue', group: 'support-team' }, { tag: 'checkout', assignee: 'wang.fang@example.com' }]);
    const a = await submitRequirement(support, 'PAY', { title: 'Refund button', category: 'feature' });
    const b = await submitRequirement(member, 'PAY', { title: 'Card declined for VIP', category: 'issue', tags: ['vip'] });
    const c = await submitRequirement(member, 'PAY', { title: 'Faster checkout', category: 'feature', tags: ['checkout'] });
    expect([a.key, b.key, c.key]).toEqual(['PAY-1', 'PAY-2', 'PAY-3']);
    expect(getRequirement(member, 'PAY-1')).toMatchObject({ status: 'submitted', assignee: { email: 'li.lei@example.com' }, routedBy: { via: 'owner' } });
    expect(getRequirement(member, 'PAY-2')).toMatchObject({ status: 'open', assignee: null, group: 'support-team', routedBy: expect.objectContaining({ via: 'rule', rule: 1 }) });
    expect(getRequirement(member, 'PAY-3')).toMatchObject({ assignee: { email: 'wang.fang@example.com' }, routedBy: expect.objectContaining({ via: 'rule', rule: 2 }) });
    // The owner was told about PAY-1; the support group about PAY-2.
    expect(inbox(member.id).map((n) => n.kind)).toContain('assigned');
    expect(inbox(support.id).some((n) => n.kind === 'assigned' && JSON.parse(n.data).key === 'PAY-2')).toBe(true);
  });

  it('refuses an unknown category and bad fields', async () => {
    expect((await failure(() => submitRequirement(member, 'PAY', { title: 'x', category: 'bug' }))).status).toBe(400);
    expect((await failure(() => submitRequirement(member, 'PAY', { title: ' ', category: 'feature' }))).status).toBe(400);
    expect((await failure(() => submitRequirement(member, 'PAY', { title: 'x', category: 'feature', due: '2026-02-30' }))).status).toBe(400);
    expect((await failure(() => submitRequirement(outsider, 'PAY', { title: 'x', category: 'feature' }))).status).toBe(404);
  });

  it('moves through the workflow; invalid moves and unmet gates are 422 saying what is allowed', async () => {
    const wrong = await failure(() => transitionRequirement(member, 'PAY-1', { to: 'done' }));
    expect(wrong.status).toBe(422);
    expect(wrong.extra.allowed).toEqual(expect.arrayContaining([expect.objectContaining({ to: 'approved' })]));
    const noReason = await failure(() => transitionRequirement(member, 'PAY-1', { to: 'rejected' }));
    expect(noReason.status).toBe(422);
    expect(noReason.message).toMatch(/comment/);
    transitionRequirement(member, 'PAY-1', { to: 'approved', comment: 'Agreed in the planning meeting' });
    transitionRequirement(member, 'PAY-1', { to: 'in-progress' });
    const gate = await failure(() => transitionRequirement(member, 'PAY-1', { to: 'in-review' }));
    expect(gate.status).toBe(422);
    expect(gate.extra.unmet).toEqual([expect.objectContaining({ gate: 'review' })]);
    await savePage(member, { space: 'pay', path: 'reviews/refunds', title: 'Refund review', markdown: '# Refund review\n\nReviewed.' });
    expect(linkPage(member, 'PAY-1', { space: 'pay', path: 'reviews/refunds', relation: 'review' })).toEqual({ linked: true });
    expect(transitionRequirement(member, 'PAY-1', { to: 'in-review' }).status).toBe('in-review');
    const view = getRequirement(member, 'PAY-1');
    expect(view.transitions.sort()).toEqual(['done', 'in-progress']);
    expect(view.documents).toEqual([{ space: 'pay', path: 'reviews/refunds', title: 'Refund review', relation: 'review' }]);
    expect(view.events.map((e) => e.kind)).toEqual(['created', 'transitioned', 'transitioned', 'linked', 'transitioned']);
    expect(view.events[1]).toMatchObject({ kind: 'transitioned', from: 'submitted', to: 'approved', comment: 'Agreed in the planning meeting', actor: { email: 'li.lei@example.com' } });
  });

  it('records field changes with before and after, and flags edits to an agreed requirement', async () => {
    await editRequirement(member, 'PAY-1', { priority: 'high', due: '2026-12-01', assignee: 'wang.fang@example.com', description: 'Refund **any** order.' });
    const view = getRequirement(member, 'PAY-1');
    const changed = view.events.find((e) => e.kind === 'changed')!;
    expect(changed.changes).toEqual(expect.arrayContaining([
      { field: 'priority', before: 'normal', after: 'high' },
      { field: 'assignee', before: 'li.lei@example.com', after: 'wang.fang@example.com' },
    ]));
    expect(view.events.find((e) => e.kind === 'edited')).toMatchObject({ before: '', after: 'Refund **any** order.', agreed: true });
    expect(view.html).toContain('<strong>any</strong>');
    expect(inbox(support.id).some((n) => n.kind === 'assigned' && JSON.parse(n.data).key === 'PAY-1')).toBe(true);
    // An edit from a stale copy is refused, not applied.
    expect((await failure(() => editRequirement(member, 'PAY-1', { title: 'Old copy', baseVersion: 1 }))).status).toBe(409);
  });

  it('merges a stale edit that carries its starting values field by field, and refuses one that changes a field changed meanwhile', async () => {
    const start = getRequirement(member, 'PAY-1');
    const base = { title: start.title, priority: start.priority, due: start.due, assignee: start.assignee?.email ?? null, tags: start.tags, description: start.description };
    await editRequirement(member, 'PAY-1', { title: 'Refund any order', description: `${start.description}\n\nWithin 30 days.` }); // someone else, meanwhile
    // This edit started before that one: it changes the due date and the tags, and holds the old title and description.
    const merged = await editRequirement(member, 'PAY-1', { ...base, due: '2027-01-15', tags: ['refunds'], baseVersion: start.version, base });
    expect([merged.title, merged.due, merged.tags, merged.markdown]).toEqual(['Refund any order', '2027-01-15', ['refunds'], `${start.description}\n\nWithin 30 days.`]);
    // Both changed the title: 409 naming it, with the merge to show again (ours in the title); nothing saved.
    const err = await failure(() => editRequirement(member, 'PAY-1', { ...base, title: 'Refunds', priority: 'urgent', baseVersion: start.version, base }));
    expect([err.status, err.extra.code, err.extra.conflicts]).toEqual([409, 'reqChanged', ['title']]);
    expect(err.extra.proposal).toMatchObject({ title: 'Refunds', priority: 'urgent', due: '2027-01-15', tags: ['refunds'] });
    expect(getRequirement(member, 'PAY-1')).toMatchObject({ title: 'Refund any order', priority: base.priority, version: merged.version });
  });

  it('links pages that mention a key, with live status, and respects permissions on both sides', async () => {
    await savePage(member, { space: 'eng', path: 'roadmap', title: 'Roadmap', markdown: 'Refunds (PAY-1) ship in Q1. UTF-8 and PAY-999 are not links to real items.' });
    const page = viewPage(member, 'eng', 'roadmap');
    expect(page.html).toContain('data-req="PAY-1">PAY-1</a><span class="status-badge"');
    // No UTF project, no PAY-999: plain text, exactly as written.
    expect(page.html).toContain('UTF-8 and PAY-999 are not links');
    expect(pageRequirements(db(), member, page.page.id).map((r) => [r.key, r.status])).toEqual([['PAY-1', 'in-review']]);
    expect(getRequirement(member, 'PAY-1').documents).toContainEqual({ space: 'eng', path: 'roadmap', title: 'Roadmap', relation: 'mention' });
    expect(getRequirement(member, 'PAY-1').events.at(-1)).toMatchObject({ kind: 'mentioned', space: 'eng', path: 'roadmap' });
    // The outsider can read the eng page but not the restricted project: no requirement shown,
    // and the key is plain text, like a key of a project that does not exist.
    expect(pageRequirements(db(), outsider, page.page.id)).toEqual([]);
    expect(viewPage(outsider, 'eng', 'roadmap').html).toBe('<p>Refunds (PAY-1) ship in Q1. UTF-8 and PAY-999 are not links to real items.</p>');
  });

  it('nudges at most once an hour', async () => {
    nudge(support, 'PAY-3');
    const again = await failure(() => nudge(member, 'PAY-3'));
    expect(again.status).toBe(429);
    expect(inbox(support.id).filter((n) => n.kind === 'nudged')).toHaveLength(0); // the nudger is not told about their own nudge
    nudge(member, 'PAY-1');
    expect(inbox(support.id).some((n) => n.kind === 'nudged')).toBe(true);
  });

  it('tells people mentioned in a comment, by email or by name, as page comments do', () => {
    const mentions = (id: number, key: string) => inbox(id).filter((n) => n.kind === 'mentioned' && JSON.parse(n.data).key === key).length;
    commentOn(support, 'PAY-2', { comment: 'Customer is waiting, @li.lei@example.com please look' });
    expect(mentions(member.id, 'PAY-2')).toBe(1);
    commentOn(member, 'PAY-3', { comment: '@王芳 请看一下' });
    expect(mentions(support.id, 'PAY-3')).toBe(1);
    // Someone who cannot read the project is no mention: admin@ can (site admin), nobody@ does not exist.
    const before = mentions(member.id, 'PAY-3');
    commentOn(support, 'PAY-3', { comment: 'cc @nobody@example.com and @Someone Else' });
    expect(mentions(member.id, 'PAY-3')).toBe(before);
  });

  it('lists with filters and my work', () => {
    expect(listRequirements(member, 'PAY', { category: 'feature' }).map((r) => r.key)).toEqual(['PAY-1', 'PAY-3']);
    expect(listRequirements(member, 'PAY', { assignee: 'wang.fang@example.com', sort: 'priority' }).map((r) => r.key)).toEqual(['PAY-1', 'PAY-3']);
    expect(listRequirements(member, 'PAY', { tag: 'vip' }).map((r) => r.key)).toEqual(['PAY-2']);
    expect(myWork(support).map((r) => r.key).sort()).toEqual(['PAY-1', 'PAY-2', 'PAY-3']);
  });

  it('keeps history append-only in the database itself', () => {
    expect(() => db().$client.prepare('delete from requirement_events').run()).toThrow(/append-only/);
    expect(() => db().$client.prepare("update requirement_events set kind = 'created'").run()).toThrow(/append-only/);
  });

  it('refuses a workflow edit that would strand requirements', async () => {
    const without = DEFAULT_CATEGORIES.filter((c) => c.key !== 'issue');
    const err = await failure(() => setCategories(member, 'PAY', without));
    expect(err.status).toBe(422);
    const bad = await failure(() => setCategories(member, 'PAY', [{ ...DEFAULT_CATEGORIES[0], initial: 'nowhere' }, ...DEFAULT_CATEGORIES.slice(1)]));
    expect(bad.status).toBe(400);
  });
});

describe('requirement search', () => {
  it('finds requirements by type, project and status, only for those who may read them', async () => {
    await drainOutbox();
    const hits = (await search(member, { q: 'refund', type: 'requirement' })).hits;
    expect(hits.map((h) => h.path)).toContain('PAY-1');
    expect(hits[0]).toMatchObject({ type: 'requirement', project: 'PAY' });
    expect((await search(member, { q: 'checkout', project: 'PAY', status: 'submitted' })).hits.map((h) => h.path)).toEqual(['PAY-3']);
    expect((await search(outsider, { q: 'refund', type: 'requirement' })).hits).toEqual([]);
  });
});

describe('projects created after pages mention them', () => {
  it('links keys in existing pages once the project exists', async () => {
    await savePage(member, { space: 'eng', path: 'ops-notes', title: 'Ops notes', markdown: 'Follow-up in OPS-1 and OPS-2.' });
    expect(viewPage(member, 'eng', 'ops-notes').html).not.toContain('data-req');
    createProject(admin, { key: 'OPS', name: 'Operations' });
    const req = await submitRequirement(admin, 'OPS', { title: 'Rotate certificates', category: 'change' });
    const html = viewPage(member, 'eng', 'ops-notes').html;
    expect(html).toContain('data-req="OPS-1"');
    expect(html).not.toContain('data-req="OPS-2"'); // not submitted yet
    expect(getRequirement(admin, req.key).documents).toEqual([{ space: 'eng', path: 'ops-notes', title: 'Ops notes', relation: 'mention' }]);
  });
});

describe('bulk work is history, not news', () => {
  it('records mentions from authorless saves without notifying anyone', async () => {
    // support is PAY-1's assignee and watcher: a mention by a person would reach them.
    const before = inbox(support.id).length;
    const { commitSave } = await import('../../src/server/pages/save-page.ts');
    const { renderPage } = await import('../../src/server/pages/render-page.ts');
    const { write } = await import('../../src/server/db.ts');
    const { findSpace } = await import('../../src/server/spaces/spaces.ts');
    const space = findSpace('eng')!;
    const markdown = 'Imported note about PAY-1.';
    write((tx) => commitSave(tx, space, null, { path: 'imported-note', title: 'Imported note', markdown, tags: undefined, baseRevision: undefined, message: '', rendered: renderPage('eng', markdown) }));
    expect(getRequirement(member, 'PAY-1').events.at(-1)).toMatchObject({ kind: 'mentioned', path: 'imported-note', actor: null });
    expect(inbox(support.id).length).toBe(before);
    await savePage(member, { space: 'eng', path: 'imported-note', markdown: 'Imported note about PAY-1 and PAY-3.' });
    expect(inbox(support.id).length).toBe(before + 1);
  });
});
