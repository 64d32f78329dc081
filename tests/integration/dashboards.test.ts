// The dashboard's figures against a small project whose every number is worked out by hand below.
// Rows are written with SQL so that every time is exact.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { dashboardFor, loadDashboard } from '../../src/server/dashboards/dashboard.ts';
import { db } from '../../src/server/db.ts';
import { setTagAliases } from '../../src/server/desk/settings.ts';
import { renderMarkdown } from '../../src/server/markdown/render.ts';
import { htmlForViewer } from '../../src/server/pages/html-for-viewer.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { projectDashboard } from '../../src/server/requirements/dashboard.ts';
import { failure, freshEnvironment } from './setup-env.ts';

// "Now" is Wednesday 2026-12-02 12:00 UTC; weeks=2 covers the weeks of Monday 11-23 and Monday 11-30.
const NOW = Date.parse('2026-12-02T12:00:00Z');
const at = (s: string) => Date.parse(`${s}:00Z`);
const WEEKS = [['weeks', '2']] as [string, string][];

let admin: Viewer;
let li: Viewer; // PAY's owner
let wang: Viewer; // support, in group support-team
let outsider: Viewer;

interface Row { project: number; n: number; category: string; status: string; reporter: number; assignee?: number; group?: number;
  due?: string; tags?: string[]; priority?: string; created: string; closed?: string }
interface Event { n: number; kind: 'created' | 'commented' | 'transitioned'; actor: number; at: string; to?: string }

function insert(key: string, rows: Row[], events: Event[]) {
  const ids = new Map<number, number>();
  for (const r of rows) {
    const info = db().$client.prepare(`insert into requirements (project_id, number, key, title, category, status, priority, assignee_id, group_id, reporter_id, due, tags, created_at, updated_at, closed_at)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(r.project, r.n, `${key}-${r.n}`, `${key} ${r.n}`, r.category, r.status, r.priority ?? 'normal',
      r.assignee ?? null, r.group ?? null, r.reporter, r.due ?? null, JSON.stringify(r.tags ?? []), at(r.created), at(r.created), r.closed ? at(r.closed) : null);
    ids.set(r.n, Number(info.lastInsertRowid));
  }
  for (const e of events) {
    db().$client.prepare('insert into requirement_events (requirement_id, kind, actor_id, data, created_at) values (?, ?, ?, ?, ?)')
      .run(ids.get(e.n), e.kind, e.actor, JSON.stringify(e.to ? { from: 'x', to: e.to, comment: '' } : {}), at(e.at));
  }
}

beforeAll(async () => {
  ({ admin, member: li } = await freshEnvironment('dashboards'));
  const wangId = await createUser({ email: 'wang.fang@example.com', name: '王芳', password: 'a long support password' });
  const outsiderId = await createUser({ email: 'out@example.com', name: 'Outsider', password: 'a long outsider password' });
  wang = { id: wangId, email: 'wang.fang@example.com', name: '王芳', admin: false, locale: null };
  outsider = { id: outsiderId, email: 'out@example.com', name: 'Outsider', admin: false, locale: null };
  const pay = createProject(admin, { key: 'PAY', name: 'Payments', owner: li.email, visibility: 'restricted' });
  setGrants(admin, 'pay', [{ user: li.email, role: 'admin' }, { user: wang.email, role: 'editor' }]);
  const ops = createProject(admin, { key: 'OPS', name: 'Operations', owner: admin.email, visibility: 'restricted' });
  addGroup(admin, 'support-team');
  setGroupMembers(admin, 'support-team', [wang.email]);
  const group = db().$client.prepare<[], { id: number }>("select id from groups where name = 'support-team'").get()!.id;
  const p = pay.id;
  insert('PAY', [
    // PAY-1: done on time (due 11-25, done 11-25 15:00). Wang comments 2 h after it was created; first done after 54 h.
    { project: p, n: 1, category: 'feature', status: 'done', reporter: li.id, assignee: wang.id, due: '2026-11-25', created: '2026-11-23T09:00', closed: '2026-11-25T15:00' },
    // PAY-2: done late (due 11-26, done 12-01 10:00). Li's own move is no response; Wang's comment after 4 h is. Done after 168 h.
    { project: p, n: 2, category: 'feature', status: 'done', reporter: li.id, assignee: wang.id, due: '2026-11-26', created: '2026-11-24T10:00', closed: '2026-12-01T10:00' },
    // PAY-3: an issue done without a due date. Li (not the reporter) moves it after 1 h; "resolved" is not a done state, "closed" is: 24 h.
    { project: p, n: 3, category: 'issue', status: 'closed', reporter: wang.id, assignee: li.id, created: '2026-11-30T08:00', closed: '2026-12-01T08:00' },
    // PAY-4: closed by Wang after 2 h, then reopened: open (not resolved) and overdue now, in the support queue.
    { project: p, n: 4, category: 'issue', status: 'open', reporter: li.id, group, due: '2026-11-28', tags: ['login', 'vip'], created: '2026-11-23T10:00' },
    // PAY-5: old (62 days), high priority, overdue, Wang's.
    { project: p, n: 5, category: 'feature', status: 'in-progress', reporter: li.id, assignee: wang.id, due: '2026-11-20', tags: ['login'], priority: 'high', created: '2026-10-01T12:00' },
    // PAY-6: new today, urgent, nobody has answered.
    { project: p, n: 6, category: 'change', status: 'submitted', reporter: li.id, tags: ['Login'], priority: 'urgent', created: '2026-12-02T09:00' },
    // PAY-7: done late, but before the period: in no figure.
    { project: p, n: 7, category: 'feature', status: 'done', reporter: li.id, assignee: wang.id, due: '2026-11-09', created: '2026-11-01T09:00', closed: '2026-11-10T09:00' },
    // PAY-8: created before the period, rejected in it before its due date: declined, so neither done nor on time.
    { project: p, n: 8, category: 'feature', status: 'rejected', reporter: li.id, due: '2026-11-27', created: '2026-11-02T09:00', closed: '2026-11-26T09:00' },
  ], [
    { n: 1, kind: 'created', actor: li.id, at: '2026-11-23T09:00' },
    { n: 1, kind: 'commented', actor: wang.id, at: '2026-11-23T11:00' },
    { n: 1, kind: 'transitioned', actor: wang.id, at: '2026-11-24T09:00', to: 'approved' },
    { n: 1, kind: 'transitioned', actor: wang.id, at: '2026-11-25T15:00', to: 'done' },
    { n: 2, kind: 'created', actor: li.id, at: '2026-11-24T10:00' },
    { n: 2, kind: 'transitioned', actor: li.id, at: '2026-11-24T12:00', to: 'approved' },
    { n: 2, kind: 'commented', actor: wang.id, at: '2026-11-24T14:00' },
    { n: 2, kind: 'transitioned', actor: wang.id, at: '2026-12-01T10:00', to: 'done' },
    { n: 3, kind: 'created', actor: wang.id, at: '2026-11-30T08:00' },
    { n: 3, kind: 'transitioned', actor: li.id, at: '2026-11-30T09:00', to: 'in-progress' },
    { n: 3, kind: 'transitioned', actor: li.id, at: '2026-11-30T20:00', to: 'resolved' },
    { n: 3, kind: 'transitioned', actor: li.id, at: '2026-12-01T08:00', to: 'closed' },
    { n: 4, kind: 'created', actor: li.id, at: '2026-11-23T10:00' },
    { n: 4, kind: 'transitioned', actor: wang.id, at: '2026-11-23T12:00', to: 'closed' },
    { n: 4, kind: 'transitioned', actor: li.id, at: '2026-11-26T09:00', to: 'open' },
    { n: 6, kind: 'created', actor: li.id, at: '2026-12-02T09:00' },
    { n: 7, kind: 'transitioned', actor: wang.id, at: '2026-11-10T09:00', to: 'done' },
    { n: 8, kind: 'transitioned', actor: li.id, at: '2026-11-26T09:00', to: 'rejected' },
  ]);
  // OPS (only the admin reads it): one feature created in the period.
  insert('OPS', [{ project: ops.id, n: 1, category: 'feature', status: 'submitted', reporter: admin.id, created: '2026-11-30T10:00' }], []);
});

// Computed as the API computes them: on the dashboard worker, over its own read-only connection.
const projectId = (key: string) => db().$client.prepare<[string], { id: number }>('select id from projects where key = ?').get(key)!.id;
const dash = async (viewer: Viewer, params: [string, string][] = WEEKS, project: string | null = 'PAY') => (await loadDashboard(viewer, project, params, NOW)).dashboard;

describe('project dashboard figures (hand-computed)', () => {
  it('on-time: done by the due date ÷ done with a due date, per week and in total', async () => {
    const d = await dash(li);
    expect(d.range).toEqual({ from: '2026-11-23', to: '2026-12-02', weeks: 2 });
    // Week of 11-23: PAY-1 on time (PAY-8 was rejected: not delivered). Week of 11-30: PAY-2 late,
    // PAY-3 without a due date. PAY-7 is before the period.
    expect(d.onTime).toEqual({
      rate: 0.5, done: 3, withDue: 2, onTime: 1,
      byWeek: [
        { week: '2026-11-23', done: 1, withDue: 1, onTime: 1, rate: 1 },
        { week: '2026-11-30', done: 2, withDue: 1, onTime: 0, rate: 0 },
      ],
    });
  });

  it('the project page counts the same way: a rejected requirement is not done, nor on time', () => {
    // Delivered: PAY-1 (on time), PAY-2 (late), PAY-3 (no due date), PAY-7 (late, 11-10); PAY-8 declined.
    expect(projectDashboard(li, 'PAY', NOW)).toMatchObject({ doneLast30: 4, doneWithDue: 3, doneOnTime: 1 });
  });

  it('resolution within SLA, time to resolution and to first response', async () => {
    const d = await dash(li);
    // Done now and in the period: PAY-1 (in time), PAY-2 (late), PAY-3 (no deadline). PAY-4 was reopened: not resolved; PAY-8 rejected.
    expect(d.resolution).toEqual({ rate: 0.333, resolved: 3, withinSla: 1 });
    // Hours to first done: 24, 54, 168 → nearest-rank p50 = 54 (2nd of 3), p90 = 168 (3rd of 3).
    expect(d.resolve).toEqual({ p50: 54, p90: 168, n: 3 });
    // First response by someone other than the reporter: PAY-3 1 h, PAY-1 2 h, PAY-4 2 h, PAY-2 4 h; PAY-6 none yet.
    expect(d.firstResponse).toEqual({ p50: 2, p90: 4, n: 4 });
  });

  it('created vs. done per week, open by status, overdue, categories, tags and age', async () => {
    const d = await dash(li);
    expect(d.createdDone).toEqual([{ week: '2026-11-23', created: 3, done: 1 }, { week: '2026-11-30', created: 2, done: 2 }]);
    // Open now: PAY-4 open, PAY-6 submitted, PAY-5 in progress (workflow order).
    expect(d.byStatus).toEqual({ open: 1, submitted: 1, 'in-progress': 1 });
    expect(Object.keys(d.byStatus)).toEqual(['open', 'submitted', 'in-progress']);
    expect(d.overdueBy).toEqual({ assignee: { none: 1, 'wang.fang@example.com': 1 }, group: { 'support-team': 1 } });
    expect(d.byCategory).toEqual({ feature: 2, issue: 2, change: 1 });
    expect(d.byTag).toEqual({ login: 2, vip: 1 }); // "Login" is the same tag
    // PAY-6 0 days, PAY-4 9 days, PAY-5 62 days.
    expect(d.age.map((a) => a.count)).toEqual([1, 1, 0, 1, 0]);
    expect(d.labels.status['in-progress']).toEqual({ en: 'In progress', zh: '开发中' });
  });

  it('applies every filter to every figure', async () => {
    const issue = await dash(li, [...WEEKS, ['category', 'issue']]);
    expect(issue.onTime).toMatchObject({ done: 1, withDue: 0, rate: null });
    expect(issue.resolution).toEqual({ rate: 0, resolved: 1, withinSla: 0 });
    expect(issue.byStatus).toEqual({ open: 1 });
    expect(issue.byCategory).toEqual({ issue: 2 });

    const wangs = await dash(li, [...WEEKS, ['assignee', 'wang.fang@example.com']]);
    expect(wangs.onTime).toMatchObject({ done: 2, withDue: 2, onTime: 1 });
    expect(wangs.overdueBy.assignee).toEqual({ 'wang.fang@example.com': 1 });
    expect((await dash(wang, [...WEEKS, ['assignee', 'me']])).onTime.done).toBe(2);
    // By name, as people are shown: the same figures.
    expect((await dash(li, [...WEEKS, ['assignee', ' 王芳 ']])).onTime).toEqual(wangs.onTime);

    const queue = await dash(li, [...WEEKS, ['group', 'support-team']]);
    expect(queue.resolution).toEqual({ rate: null, resolved: 0, withinSla: 0 });
    expect(queue.overdueBy.group).toEqual({ 'support-team': 1 });
    expect(queue.byTag).toEqual({ login: 1, vip: 1 });

    const login = await dash(li, [...WEEKS, ['tag', 'login']]);
    expect(login.byStatus).toEqual({ open: 1, submitted: 1, 'in-progress': 1 });
    expect(login.firstResponse).toEqual({ p50: 2, p90: 2, n: 1 });

    const high = await dash(li, [...WEEKS, ['priority', 'high,urgent']]);
    expect(high.age.map((a) => a.count)).toEqual([1, 0, 0, 1, 0]);
    expect(high.createdDone.map((w) => w.created)).toEqual([0, 1]);

    // An explicit period also limits the "open now" figures to what was created in it.
    const late = await dash(li, [['from', '2026-11-30'], ['to', '2026-12-02']]);
    expect(late.byStatus).toEqual({ submitted: 1 });
    expect(late.onTime).toMatchObject({ done: 2, withDue: 1, onTime: 0 });
  });

  it('gives the same figures when computed on the main thread (a chart in a view that does not prepare them)', async () => {
    const query: [string, string][] = [...WEEKS, ['priority', 'normal']];
    const onWorker = await dash(li, query);
    expect(onWorker.onTime).toMatchObject({ done: 3, withDue: 2, onTime: 1 });
    expect(dashboardFor(li, 'PAY', query, NOW + 60_000).dashboard).toEqual(onWorker); // another minute: not remembered
  });

  it('matches the tag filter as the desk does: case, width and the project\'s aliases', async () => {
    // PAY-4 and PAY-5 are tagged "login", PAY-6 "Login": one tag.
    const open = { open: 1, submitted: 1, 'in-progress': 1 };
    for (const tag of ['login', 'Login', ' LOGIN ', 'ｌｏｇｉｎ']) expect((await dash(li, [...WEEKS, ['tag', tag]])).byStatus).toEqual(open);
    expect((await dash(li)).byTag).toEqual({ login: 2, vip: 1 });
    expect((await dash(li, [...WEEKS, ['tag', '登录']])).byStatus).toEqual({});
    setTagAliases(li, 'PAY', { aliases: { 登录: 'login' } });
    expect((await dash(li, [...WEEKS, ['tag', '登录']])).byStatus).toEqual(open);
    // Across projects each project's own aliases apply: OPS has none, and no 登录.
    expect((await dash(admin, [...WEEKS, ['tag', '登录']], null)).byStatus).toEqual(open);
    // An item tagged with the alias counts under the tag it stands for.
    insert('PAY', [{ project: projectId('PAY'), n: 9, category: 'issue', status: 'open', reporter: li.id, tags: ['登录'], created: '2026-12-01T09:00' }], []);
    expect((await dash(li)).byTag).toEqual({ login: 3, vip: 1 });
    expect((await dash(li, [...WEEKS, ['tag', 'LOGIN']])).byStatus).toEqual({ ...open, open: 2 });
    db().$client.prepare("delete from requirements where key = 'PAY-9'").run();
    setTagAliases(li, 'PAY', { aliases: {} });
  });

  it('the cross-project dashboard covers exactly the projects its viewer may read', async () => {
    expect((await dash(li, WEEKS, null)).byCategory).toEqual({ feature: 2, issue: 2, change: 1 });
    expect((await dash(admin, WEEKS, null)).byCategory).toEqual({ feature: 3, issue: 2, change: 1 });
    expect((await dash(outsider, WEEKS, null)).byCategory).toEqual({});
  });
});

describe('dashboard bad input', () => {
  it('answers 404 for a project the viewer may not read, as for one that does not exist', async () => {
    expect((await failure(() => dash(outsider))).status).toBe(404);
    expect((await failure(() => dash(li, WEEKS, 'NOPE'))).status).toBe(404);
  });

  it.each([
    [[['weeks', '1000000000']], /weeks: a whole number from 1 to 104/],
    [[['weeks', '-1']], /weeks/],
    [[['weeks', '1e3']], /weeks/],
    [[['from', '1990-01-01'], ['to', '2040-01-01']], /at most 104 weeks/],
    [[['from', '2026-02-30']], /from: a date/],
    [[['from', '2026-12-02'], ['to', '2026-11-01']], /from: must not be after to/],
    [[['colour', 'red']], /Unknown dashboard parameter "colour"/],
    [[['__proto__', 'x']], /Unknown dashboard parameter/],
    [[['priority', 'whenever']], /priority/],
    [[['category', Array.from({ length: 30 }, (_, i) => `c${i}`).join(',')]], /at most 20 values/],
  ] as [[string, string][], RegExp][])('refuses %j with a clear 400', async (params, message) => {
    const err = await failure(() => dash(li, params));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });
});

describe('charts inside pages', () => {
  const block = (spec: string) => renderMarkdown(`Before\n\n\`\`\`dossier-chart\n${spec}\n\`\`\`\n`, { space: 'pay' }).html;
  const spec = 'project: PAY\nmetric: on-time\nfrom: 2026-11-23\nto: 2026-12-02';

  it('stores the checked spec and no figures', async () => {
    const html = block(spec);
    expect(html).toContain('<div class="dossier-chart" data-chart="project=PAY&amp;metric=on-time&amp;type=line&amp;from=2026-11-23&amp;to=2026-12-02">');
    expect(html).not.toMatch(/<svg|<table/);
  });

  it('draws the live chart with its table for a reader of the project, a placeholder without numbers for others', async () => {
    const html = block(spec);
    const mine = htmlForViewer(li, html, 'en');
    expect(mine).toContain('<svg');
    expect(mine).toMatch(/<th scope="row">2026-11-23<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">100<\/td>/);
    expect(mine).toContain('/api/v1/projects/PAY/dashboard.csv?metric=on-time&amp;from=2026-11-23');
    const theirs = htmlForViewer(outsider, html, 'en');
    expect(theirs).toContain('data-testid="chart-hidden"');
    expect(theirs).not.toMatch(/<svg|<table|2026-11-23|\b100\b/);
    // The same placeholder for a project that does not exist.
    expect(htmlForViewer(li, block(spec.replace('PAY', 'NOPE')), 'en')).toContain('data-testid="chart-hidden"');
  });

  it('follows the data without re-rendering the page', async () => {
    const html = block('project: PAY\nmetric: by-category\ntype: bar\nfrom: 2026-11-23\nto: 2026-12-02');
    const before = htmlForViewer(li, html, 'zh-CN');
    expect(before).toContain('<th scope="row">需求</th><td class="num">2</td>');
    insert('PAY', [{ project: db().$client.prepare<[], { id: number }>("select id from projects where key = 'PAY'").get()!.id, n: 9, category: 'feature', status: 'submitted', reporter: li.id, created: '2026-12-01T10:00' }], []);
    expect(htmlForViewer(li, html, 'zh-CN')).toContain('<th scope="row">需求</th><td class="num">3</td>');
  });

  it.each([
    ['project: PAY\nmetric: happiness', /metric: one of on-time/],
    ['project: PAY\nmetric: on-time\ntype: radar', /type: one of line, bar, pie, funnel/],
    ['project: pay\nmetric: on-time', /project: a project key/],
    ['project: PAY\nmetric: on-time\nweeks: 1000000000', /weeks: a whole number/],
    ['project: PAY\nmetric: on-time\nseries: [a, b]', /unknown setting &quot;series&quot;/],
    [`project: PAY\nmetric: on-time\ncategory: [${Array.from({ length: 10_000 }, (_, i) => `s${i}`).join(', ')}]`, /at most 2000 characters/],
    ['project: PAY\nmetric: on-time\ncategory: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u]', /short list/],
    ['a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]', /anchors and aliases are not allowed/],
    ['project: PAY\nproject: OPS\nmetric: on-time', /not valid YAML/],
    ['- just\n- a list', /one setting per line/],
    ['project: PAY\nmetric: {nested: map}', /metric: a single value/],
  ])('shows a clear error box for a bad block %#', (source, message) => {
    const shown = htmlForViewer(li, block(source), 'en');
    expect(shown).toMatch(/<div class="dossier-chart-error" role="alert"><strong>This chart cannot be drawn<\/strong>/);
    expect(shown).toMatch(message);
  });

  it('checks a forged placeholder written as raw HTML again when it is shown', async () => {
    const forged = renderMarkdown('<div class="dossier-chart" data-chart="project=PAY&metric=age&weeks=99999">x</div>\n', { space: 'pay' }).html;
    expect(htmlForViewer(li, forged, 'en')).toMatch(/dossier-chart-error[\s\S]*weeks: a whole number/);
  });
});

describe('the latest activity, for a period with none', () => {
  it('is the latest creation or closing the viewer may see, whenever it was', async () => {
    const old = createProject(admin, { key: 'OLD', name: 'Finished project', owner: admin.email, visibility: 'org' });
    insert('OLD', [
      { project: old.id, n: 1, category: 'feature', status: 'done', reporter: li.id, created: '2026-03-02T09:00', closed: '2026-04-20T10:00' },
      { project: old.id, n: 2, category: 'feature', status: 'submitted', reporter: li.id, created: '2026-03-10T09:00' },
      // Restricted (row-level) and reported by the admin: Li may not see it, nor its date.
      { project: old.id, n: 3, category: 'feature', status: 'submitted', reporter: admin.id, created: '2026-05-10T09:00' },
    ], []);
    db().$client.prepare("update requirements set restricted = 1 where key = 'OLD-3'").run();
    const quiet = await dash(li, [], 'OLD');
    expect(quiet.createdDone.every((w) => w.created === 0 && w.done === 0)).toBe(true);
    expect(quiet.lastActivity).toBe('2026-04-20');
    expect((await dash(admin, [], 'OLD')).lastActivity).toBe('2026-05-10');
    // The period the page's link asks for holds the figures.
    const then = await dash(li, [['to', '2026-04-20'], ['weeks', '12']], 'OLD');
    expect(then.createdDone.reduce((n, w) => n + w.created, 0)).toBe(2);
    expect(then.onTime.done).toBe(1);
    expect((await dash(li)).lastActivity).toBe('2026-12-02'); // PAY: today's PAY-6
  });
});
