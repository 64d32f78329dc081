// Project phases, the project overview and recent changes, on a real SQLite file (issue 11, parts 3, 4, 7).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db, write } from '../../src/server/db.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { projectOverview } from '../../src/server/projects/overview.ts';
import { changePhase, DEFAULT_PHASES, setPhases } from '../../src/server/projects/phases.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { recentChanges, recentlyViewed } from '../../src/server/recent/recent.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { linkPage } from '../../src/server/requirements/links.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { flushVisits, visitPage } from '../../src/server/watching/last-seen.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer; // site admin
let owner: Viewer; // 李雷: owner and project admin of ATL
let editor: Viewer; // 王芳: editor of the project space
let outsider: Viewer;

const user = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: `${name} has a long password` }), email, name, admin: false, locale: null });

beforeAll(async () => {
  let member: Viewer;
  ({ admin, member } = await freshEnvironment('phases'));
  owner = member;
  editor = await user('wang.fang@example.com', '王芳');
  outsider = await user('out@example.com', 'Outsider');
  createProject(admin, { key: 'ATL', name: 'Atlas', owner: owner.email, visibility: 'restricted', description: 'The customer portal.' });
  setGrants(admin, 'atl', [{ user: owner.email, role: 'admin' }, { user: editor.email, role: 'editor' }]);
  write((tx) => upsertSpace(tx, { key: 'secret', name: 'Secret', visibility: 'restricted' }));
});

describe('phase changes', () => {
  it('starts in the first default phase and moves forward one step, recording who, when and why', () => {
    expect(projectOverview(owner, 'ATL').phase).toBe('initiation');
    expect(changePhase(owner, 'ATL', { to: 'planning', comment: 'Charter signed' })).toEqual({ phase: 'planning' });
    const o = projectOverview(owner, 'ATL');
    expect(o.phase).toBe('planning');
    expect(o.history).toEqual([expect.objectContaining({ from: 'initiation', to: 'planning', comment: 'Charter signed', by: { email: owner.email, name: owner.name } })]);
    expect(o.phases.find((p) => p.key === 'initiation')!.to).not.toBeNull();
    expect(o.phases.find((p) => p.key === 'planning')).toMatchObject({ current: true, to: null, by: { email: owner.email } });
    expect(o.allowed).toEqual(['initiation', 'execution']);
  });

  it('refuses an unknown phase (400), a skipped phase (422, saying what is allowed), non-admins (403) and outsiders (404)', async () => {
    const unknown = await failure(() => changePhase(owner, 'ATL', { to: 'nonsense' }));
    expect(unknown.status).toBe(400);
    const skip = await failure(() => changePhase(owner, 'ATL', { to: 'closed' }));
    expect(skip.status).toBe(422);
    expect(skip.extra.allowed).toEqual(['initiation', 'execution']);
    expect((await failure(() => changePhase(owner, 'ATL', { to: 'planning' }))).status).toBe(422);
    expect((await failure(() => changePhase(editor, 'ATL', { to: 'execution' }))).status).toBe(403);
    expect((await failure(() => changePhase(outsider, 'ATL', { to: 'execution' }))).status).toBe(404);
    expect((await failure(() => changePhase(owner, 'NOPE', { to: 'execution' }))).status).toBe(404);
    expect((await failure(() => changePhase(owner, 'ATL', { to: 42 }))).status).toBe(400);
    expect(projectOverview(owner, 'ATL').phase).toBe('planning');
    expect(projectOverview(owner, 'ATL').history).toHaveLength(1);
  });

  it('gates acceptance on a retrospective: a page linked as retro, or tagged retro in the project space', async () => {
    changePhase(owner, 'ATL', { to: 'execution' });
    const refused = await failure(() => changePhase(owner, 'ATL', { to: 'acceptance' }));
    expect(refused.status).toBe(422);
    expect(refused.extra.missing).toEqual([expect.objectContaining({ gate: 'retro' })]);
    // A page elsewhere tagged retro does not count; one linked as retro to an ATL requirement does.
    await savePage(admin, { space: 'eng', path: 'atlas-retro', title: 'Atlas retro', markdown: 'What went well.', tags: ['retro'] });
    expect((await failure(() => changePhase(owner, 'ATL', { to: 'acceptance' }))).status).toBe(422);
    const req = await submitRequirement(editor, 'ATL', { title: 'Sign-in', category: 'issue' });
    linkPage(editor, req.key, { space: 'eng', path: 'atlas-retro', relation: 'retro' });
    expect(changePhase(owner, 'ATL', { to: 'acceptance' })).toEqual({ phase: 'acceptance' });
  });

  it('gates closing on every requirement being done, listing the blocking keys', async () => {
    const second = await submitRequirement(editor, 'ATL', { title: 'Invoices', category: 'issue' });
    const refused = await failure(() => changePhase(owner, 'ATL', { to: 'closed' }));
    expect(refused.status).toBe(422);
    expect(refused.extra.missing).toEqual([expect.objectContaining({ gate: 'requirements-done', requirements: ['ATL-1', second.key] })]);
    expect(refused.message).toContain('2 requirement(s)');
    transitionRequirement(editor, 'ATL-1', { to: 'closed', comment: 'Fixed' });
    expect((await failure(() => changePhase(owner, 'ATL', { to: 'closed' }))).extra.missing).toEqual([expect.objectContaining({ requirements: [second.key] })]);
    transitionRequirement(editor, second.key, { to: 'closed', comment: 'Shipped' });
    expect(changePhase(owner, 'ATL', { to: 'closed', comment: 'Handed to operations' })).toEqual({ phase: 'closed' });
  });

  it('moves back any number of phases', () => {
    expect(changePhase(owner, 'ATL', { to: 'planning', comment: 'Phase 2 of the portal' })).toEqual({ phase: 'planning' });
    expect(projectOverview(owner, 'ATL').history.map((h) => h.to)).toEqual(['planning', 'execution', 'acceptance', 'closed', 'planning']);
  });
});

describe('configured phases', () => {
  it('lets a project admin replace the list, keeping the current phase', async () => {
    const list = [
      { key: 'idea', name: { en: 'Idea', zh: '构想' } },
      { key: 'planning', name: { en: 'Planning', zh: '规划' } },
      { key: 'done', name: { en: 'Done', zh: '完成' }, requires: ['requirements-done'] },
    ];
    expect(setPhases(owner, 'ATL', list)).toEqual(list);
    expect(projectOverview(owner, 'ATL').phases.map((p) => p.key)).toEqual(['idea', 'planning', 'done']);
    expect((await failure(() => setPhases(owner, 'ATL', DEFAULT_PHASES.filter((p) => p.key !== 'planning')))).status).toBe(422);
    expect((await failure(() => setPhases(owner, 'ATL', [list[0], list[0]]))).status).toBe(400);
    expect((await failure(() => setPhases(owner, 'ATL', [{ key: 'Bad Key', name: { en: 'x', zh: 'x' } }, list[1]]))).message).toMatch(/phase 1/);
    expect((await failure(() => setPhases(owner, 'ATL', [list[1], { ...list[2], requires: ['magic'] }]))).status).toBe(400);
    expect((await failure(() => setPhases(editor, 'ATL', list))).status).toBe(403);
    setPhases(owner, 'ATL', DEFAULT_PHASES);
  });
});

describe('overview', () => {
  it('groups key documents by relation, newest first, leaving out what the viewer may not read', async () => {
    await savePage(owner, { space: 'atl', path: 'plan', title: 'Plan', markdown: 'Milestones.', tags: ['plan'] });
    await savePage(owner, { space: 'atl', path: 'status/w1', title: 'Status week 1', markdown: 'Green.', tags: ['status'] });
    await savePage(owner, { space: 'atl', path: 'status/w2', title: 'Status week 2', markdown: 'Amber.', tags: ['status'] });
    await savePage(admin, { space: 'secret', path: 'review', title: 'Secret review', markdown: 'x' });
    linkPage(admin, 'ATL-2', { space: 'secret', path: 'review', relation: 'review' });
    const o = projectOverview(owner, 'ATL');
    expect(o.summary).toBe('The customer portal.');
    expect(o.documents.plan.map((d) => d.title)).toEqual(['Plan']);
    expect(o.documents.status.map((d) => d.title)).toEqual(['Status week 2', 'Status week 1']);
    expect(o.documents.retro).toEqual([expect.objectContaining({ title: 'Atlas retro', requirements: ['ATL-1'] })]);
    expect(o.documents.review).toEqual([]); // the secret space is not the owner's to read
    expect(projectOverview(admin, 'ATL').documents.review.map((d) => d.title)).toEqual(['Secret review']);
    await expect(failure(() => projectOverview(outsider, 'ATL'))).resolves.toMatchObject({ status: 404 });
  });

  it('lists everyone who held a role with the dates, including a replaced assignee', async () => {
    const req = await submitRequirement(owner, 'ATL', { title: 'Search', category: 'feature' });
    await editRequirement(owner, req.key, { assignee: editor.email });
    await editRequirement(owner, req.key, { assignee: owner.email });
    const people = projectOverview(admin, 'ATL').people;
    const roles = (email: string) => Object.fromEntries(people.find((p) => p.email === email)!.roles.map((r) => [r.role, r]));
    expect(roles(owner.email)).toMatchObject({ owner: { to: null }, 'space-admin': { to: null }, reporter: {}, assignee: { to: null } });
    // 王芳 held it between the two changes, reported two issues, and closed them (a done state: reviewer).
    expect(roles(editor.email).assignee!.to).not.toBeNull();
    expect(roles(editor.email).reporter).toBeDefined();
    expect(roles(editor.email).reviewer).toBeDefined();
    expect(people.every((p) => p.active)).toBe(true);
  });

  it('merges page revisions, requirement events and phase changes, filtered by kind and person', async () => {
    const all = projectOverview(owner, 'ATL').activity;
    expect(new Set(all.map((a) => a.kind))).toEqual(new Set(['page', 'requirement', 'phase']));
    expect(all.map((a) => a.at)).toEqual([...all.map((a) => a.at)].sort().reverse());
    const phases = projectOverview(owner, 'ATL', { kind: 'phase' }).activity;
    expect(phases.length).toBe(5);
    expect(phases.every((a) => a.kind === 'phase')).toBe(true);
    const byEditor = projectOverview(owner, 'ATL', { person: editor.email }).activity;
    expect(byEditor.length).toBeGreaterThan(0);
    expect(byEditor.every((a) => a.actor?.email === editor.email)).toBe(true);
    expect(projectOverview(owner, 'ATL', { person: 'nobody@example.com' }).activity).toEqual([]);
    expect((await failure(() => projectOverview(owner, 'ATL', { kind: '__proto__' }))).status).toBe(400);
  });

  it('counts requirements due and done per period for the timeline', async () => {
    const req = await submitRequirement(owner, 'ATL', { title: 'Due soon', category: 'issue', due: '2099-01-05' });
    expect(req.due).toBe('2099-01-05');
    const rows = projectOverview(owner, 'ATL').timeline;
    expect(rows.at(-1)).toMatchObject({ period: '2099-01-01', dueTotal: 1, doneTotal: 2 });
    expect(rows.reduce((n, r) => n + r.done, 0)).toBe(2);
    // A requirement finished by rejecting it is not done, as in every other done figure.
    const rejected = await submitRequirement(owner, 'ATL', { title: 'Not wanted', category: 'feature', due: '2099-01-06' });
    transitionRequirement(owner, rejected.key, { to: 'rejected', comment: 'out of scope' });
    const after = projectOverview(owner, 'ATL').timeline;
    expect(after.at(-1)).toMatchObject({ period: '2099-01-01', dueTotal: 2, doneTotal: 2 });
    expect(after.reduce((n, r) => n + r.done, 0)).toBe(2);
  });
});

describe('recent changes', () => {
  it('shows pages and requirements the viewer may read, site-wide and per space', async () => {
    const mine = recentChanges(owner);
    expect(mine.some((i) => i.kind === 'requirement' && i.key === 'ATL-1')).toBe(true);
    expect(mine.some((i) => i.kind === 'page' && i.space === 'secret')).toBe(false);
    expect(recentChanges(admin).some((i) => i.kind === 'page' && i.space === 'secret')).toBe(true);
    expect(recentChanges(outsider).some((i) => i.space === 'atl')).toBe(false);
    expect(recentChanges(owner, { space: 'atl' }).every((i) => i.space === 'atl')).toBe(true);
    expect((await failure(() => recentChanges(outsider, { space: 'atl' }))).status).toBe(404);
    expect((await failure(() => recentChanges(owner, { limit: 0 }))).status).toBe(400);
    expect((await failure(() => recentChanges(null))).status).toBe(401);
  });

  it('lists the pages a user viewed, newest first, and drops those they may no longer read', () => {
    const page = (space: string, path: string) => db().$client.prepare<[string, string], { id: number; revision: number }>(
      'select p.id, p.revision from pages p join spaces s on s.id = p.space_id where s.key = ? and p.path = ? and p.deleted_at is null').get(space, path)!;
    const plan = page('atl', 'plan');
    const status = page('atl', 'status/w1');
    visitPage(editor.id, plan.id, plan.revision, Date.now() - 60_000);
    visitPage(editor.id, status.id, status.revision);
    flushVisits();
    expect(recentlyViewed(editor).map((p) => p.title)).toEqual(['Status week 1', 'Plan']);
    setGrants(admin, 'atl', [{ user: owner.email, role: 'admin' }]);
    expect(recentlyViewed(editor)).toEqual([]);
    setGrants(admin, 'atl', [{ user: owner.email, role: 'admin' }, { user: editor.email, role: 'editor' }]);
  });
});
