// Who sees what: a table of viewer × action × resource, run against the domain functions every
// route calls, so a restricted space leaks nothing by any path (page, tree, history, backlinks, search).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { setGrants, spaceGrants } from '../../src/server/admin/grants.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { createSpace, updateSpace } from '../../src/server/admin/spaces.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { DomainError } from '../../src/server/errors.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { diffRevisions, listRevisions } from '../../src/server/pages/history.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { spaceNav } from '../../src/server/pages/tree.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { listSpaces, spaceSummary } from '../../src/server/spaces/spaces.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
const people: Record<string, Viewer> = {};
const viewer = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: 'a long enough password' }), email, name, admin: false, locale: null });

beforeAll(async () => {
  ({ admin } = await freshEnvironment('access'));
  people.outsider = await viewer('outsider@example.com', 'Olga Outsider');
  people.reader = await viewer('reader@example.com', 'Rita Reader');
  people.financeMember = await viewer('fin@example.com', 'Fang Finance');
  people.editor = await viewer('editor@example.com', 'Ed Editor');
  createSpace(admin, { key: 'finance', name: 'Finance', kind: 'project', visibility: 'restricted' });
  addGroup(admin, 'finance-team');
  setGroupMembers(admin, 'finance-team', ['fin@example.com']);
  setGrants(admin, 'finance', [{ group: 'finance-team', role: 'editor' }, { user: 'reader@example.com', role: 'reader' }]);
  setGrants(admin, 'eng', [{ user: 'editor@example.com', role: 'editor' }]);
  await savePage(admin, { space: 'finance', path: 'budget', title: 'Budget 2027', markdown: 'The secret zeppelin budget. See [[eng:Handbook]].' });
  await savePage(admin, { space: 'finance', path: 'budget', markdown: 'The secret zeppelin budget, revised. See [[eng:Handbook]].', baseRevision: 1 });
  await savePage(admin, { space: 'eng', path: 'handbook', title: 'Handbook', markdown: 'Public handbook for everyone.' });
  await drainOutbox();
});

async function outcome(fn: () => unknown): Promise<number> {
  try {
    await fn();
    return 200;
  } catch (err) {
    if (err instanceof DomainError) return err.status;
    throw err;
  }
}

const readRoutes: [string, (v: Viewer) => unknown][] = [
  ['page', (v) => viewPage(v, 'finance', 'budget')],
  ['space', (v) => spaceSummary(v, 'finance')],
  ['tree', (v) => spaceNav(v, 'finance', '')],
  ['history', (v) => listRevisions(v, 'finance', 'budget')],
  ['diff', (v) => diffRevisions(v, 'finance', 'budget', 1, 2)],
  ['search in the space', (v) => search(v, { q: 'zeppelin', space: 'finance' })],
];

describe('a restricted space', () => {
  const table: [string, number][] = [['outsider', 404], ['reader', 200], ['financeMember', 200], ['editor', 404]];
  for (const [who, expected] of table) {
    for (const [route, fn] of readRoutes) {
      it(`${route}: ${who} → ${expected}`, async () => {
        expect(await outcome(() => fn(people[who]!))).toBe(expected);
      });
    }
  }

  it('is not listed, found or linked for those without a grant', async () => {
    expect(listSpaces(people.outsider!).map((s) => s.key)).not.toContain('finance');
    expect(listSpaces(people.reader!).map((s) => s.key)).toContain('finance');
    expect((await search(people.outsider!, { q: 'zeppelin' })).hits).toEqual([]);
    expect((await search(people.financeMember!, { q: 'zeppelin' })).hits.map((h) => h.title)).toEqual(['Budget 2027']);
    expect(viewPage(people.outsider!, 'eng', 'handbook').backlinks).toEqual([]);
    expect(viewPage(people.reader!, 'eng', 'handbook').backlinks).toEqual([{ space: 'finance', path: 'budget', title: 'Budget 2027' }]);
  });

  it('lets editors edit, readers only read (403, since they may see it)', async () => {
    expect(await outcome(() => savePage(people.financeMember!, { space: 'finance', path: 'q1', title: 'Q1', markdown: 'x' }))).toBe(200);
    expect(await outcome(() => savePage(people.reader!, { space: 'finance', path: 'q2', title: 'Q2', markdown: 'x' }))).toBe(403);
    expect(await outcome(() => savePage(people.outsider!, { space: 'finance', path: 'q3', title: 'Q3', markdown: 'x' }))).toBe(404);
  });
});

describe('an org space', () => {
  it('is read by everyone, edited only with a grant', async () => {
    expect(await outcome(() => viewPage(people.outsider!, 'eng', 'handbook'))).toBe(200);
    expect(await outcome(() => savePage(people.outsider!, { space: 'eng', path: 'x', title: 'X', markdown: 'x' }))).toBe(403);
    expect(await outcome(() => savePage(people.editor!, { space: 'eng', path: 'y', title: 'Y', markdown: 'y' }))).toBe(200);
  });
});

describe('administration', () => {
  it('only site admins or space admins change grants and settings', async () => {
    expect(await outcome(() => setGrants(people.editor!, 'eng', []))).toBe(403);
    expect(await outcome(() => setGrants(people.outsider!, 'finance', []))).toBe(404);
    expect(await outcome(() => createSpace(people.editor!, { key: 'mine', name: 'Mine' }))).toBe(403);
    setGrants(admin, 'finance', [...spaceGrants(admin, 'finance').map((g) => ({ ...g })), { user: 'editor@example.com', role: 'admin' }]);
    expect(await outcome(() => updateSpace(people.editor!, 'finance', { description: 'Budgets and forecasts' }))).toBe(200);
    expect(spaceGrants(people.editor!, 'finance')).toContainEqual({ user: 'editor@example.com', role: 'admin' });
  });

  it('records every change in the audit log, with before and after', () => {
    const entries = listAudit(admin, {});
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['space.create', 'group.create', 'group.members', 'space.grants', 'space.update']));
    const update = entries.find((e) => e.action === 'space.update')!;
    expect(update).toMatchObject({ actor: 'editor@example.com', subject: 'finance' });
    expect(update.before).toMatchObject({ description: '' });
    expect(update.after).toMatchObject({ description: 'Budgets and forecasts' });
    expect(listAudit(admin, { actor: 'editor@example.com' }).every((e) => e.actor === 'editor@example.com')).toBe(true);
    expect(() => listAudit(people.editor!, {})).toThrow(DomainError);
  });
});
