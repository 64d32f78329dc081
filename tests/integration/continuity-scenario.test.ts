// Issue 11, "Done means": project LIFE is held in turn by three people as owner and assignee, and
// each leaves through a handover. Afterwards nothing open is held by an inactive person, the
// overview names all three with their roles and dates, each requirement's plan, review and
// history are reachable from the overview, and the archived project is read-only and out of the
// default search. Real SQLite file, real Meilisearch, the domain functions the routes call.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { handOver } from '../../src/server/admin/handover.ts';
import { orphans } from '../../src/server/admin/holdings.ts';
import { setProjectArchived } from '../../src/server/archive/archive.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { projectOverview } from '../../src/server/projects/overview.ts';
import { createProject, setRules } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { linkPage } from '../../src/server/requirements/links.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
const holders: Viewer[] = [];
const keys: string[] = [];

const person = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: `${name} has a long password` }), email, name, admin: false, locale: null });

beforeAll(async () => {
  ({ admin } = await freshEnvironment('continuity'));
  for (const [email, name] of [['zhang.min@example.com', '张敏'], ['tom.becker@example.com', 'Tom Becker'], ['liu.yang@example.com', '刘洋'], ['chen.jing@example.com', '陈静']] as const) {
    holders.push(await person(email, name));
  }
  createProject(admin, { key: 'LIFE', name: 'Lifecycle 生命周期', owner: holders[0]!.email, visibility: 'restricted' });
  setGrants(admin, 'life', holders.map((h, i) => ({ user: h.email, role: i === 0 ? 'admin' as const : 'editor' as const })));
  setRules(admin, 'LIFE', [{ assignee: holders[0]!.email }]);
  await savePage(holders[0]!, { space: 'life', path: 'plan', title: 'Lifecycle plan 立项计划', markdown: 'Why we build the quartz ledger, and when.' });
  await savePage(holders[0]!, { space: 'life', path: 'reviews/ledger', title: 'Ledger requirement review 需求评审', markdown: 'Reviewed the quartz ledger requirements.' });
  for (const title of ['Quartz ledger export', 'Quartz ledger import']) {
    const req = await submitRequirement(holders[0]!, 'LIFE', { title, category: 'feature' });
    keys.push(req.key);
    linkPage(holders[0]!, req.key, { space: 'life', path: 'plan', relation: 'plan' });
    linkPage(holders[0]!, req.key, { space: 'life', path: 'reviews/ledger', relation: 'review' });
  }
  // Each holder works on it, then leaves through a handover to the next.
  for (let i = 0; i < 3; i++) {
    await commentOn(holders[i]!, keys[0]!, { comment: `Notes from ${holders[i]!.name}` });
    handOver(admin, holders[i]!.id, { to: holders[i + 1]!.email, deactivate: true });
  }
  await drainOutbox();
});

describe('a project held by three people in turn, each leaving through a handover', () => {
  it('leaves no open item, rule, project or space with an inactive person', () => {
    expect(orphans(admin).total).toBe(0);
    const held = db().$client.prepare(`select count(*) as n from requirements r join users u on u.id = r.assignee_id
      where r.closed_at is null and u.active = 0`).get() as { n: number };
    expect(held.n).toBe(0);
    for (const key of keys) expect(getRequirement(admin, key).assignee?.email).toBe(holders[3]!.email);
  });

  it('shows all three leavers on the overview, inactive, with the dates they held the work', () => {
    const overview = projectOverview(admin, 'LIFE');
    for (const leaver of holders.slice(0, 3)) {
      const shown = overview.people.find((p) => p.email === leaver.email);
      expect(shown, leaver.email).toBeDefined();
      expect(shown!.active).toBe(false);
      const assignee = shown!.roles.find((r) => r.role === 'assignee');
      expect(assignee?.from, leaver.email).toBeTruthy();
      expect(assignee?.to, leaver.email).toBeTruthy(); // they no longer hold it
      const owner = shown!.roles.find((r) => r.role === 'owner');
      expect(owner?.from, leaver.email).toBeTruthy();
      expect(owner?.to, leaver.email).toBeTruthy();
    }
    const successor = overview.people.find((p) => p.email === holders[3]!.email)!;
    expect(successor.roles.find((r) => r.role === 'assignee')?.to).toBeNull(); // still holds it
    expect(successor.roles.find((r) => r.role === 'owner')?.to).toBeNull();
    // The spans follow each other: each leaver's ends when the next one's begins (one handover moves
    // each requirement by its own event, a millisecond or so apart).
    for (const role of ['assignee', 'owner'] as const) {
      const spans = holders.map((h) => overview.people.find((p) => p.email === h.email)!.roles.find((r) => r.role === role)!);
      for (let i = 0; i < 3; i++) expect(Math.abs(Date.parse(spans[i]!.to!) - Date.parse(spans[i + 1]!.from!)), role).toBeLessThan(1000);
    }
  });

  it('reaches every requirement\'s plan, review and history from the overview', () => {
    const overview = projectOverview(admin, 'LIFE');
    expect(overview.documents.plan.map((d) => d.path)).toEqual(['plan']);
    expect(overview.documents.review.map((d) => d.path)).toEqual(['reviews/ledger']);
    for (const key of keys) {
      expect(overview.documents.plan[0]!.requirements).toContain(key);
      expect(overview.documents.review[0]!.requirements).toContain(key);
    }
    const handovers = overview.activity.filter((a) => a.kind === 'requirement' && a.event === 'handed_over');
    expect(handovers.length).toBe(3 * keys.length);
    const history = getRequirement(admin, keys[0]!).events.filter((e) => e.kind === 'handed_over').map((e) => `${e.from}→${e.to}`);
    expect(history).toEqual([0, 1, 2].map((i) => `${holders[i]!.email}→${holders[i + 1]!.email}`));
  });

  it('once archived, is read-only and out of the default search, and still readable', async () => {
    const before = await search(admin, { q: 'quartz ledger' });
    expect(before.hits.length).toBeGreaterThan(0);
    setProjectArchived(admin, 'LIFE', true);
    const refused = await failure(() => submitRequirement(holders[3]!, 'LIFE', { title: 'After the archive', category: 'feature' }));
    expect(refused.status).toBe(409);
    expect((await failure(() => savePage(holders[3]!, { space: 'life', path: 'plan', title: 'Changed', markdown: 'x' }))).status).toBe(409);
    await drainOutbox();
    expect((await search(admin, { q: 'quartz ledger' })).hits.filter((h) => h.space === 'life' || h.project === 'LIFE')).toEqual([]);
    expect((await search(admin, { q: 'quartz ledger', archived: true })).hits.length).toBe(before.hits.length);
    expect(projectOverview(holders[3]!, 'LIFE').documents.plan.map((d) => d.path)).toEqual(['plan']);
  });
});
