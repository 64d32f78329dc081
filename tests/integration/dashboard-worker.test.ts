// Dashboards are computed on a worker thread with its own read-only connection: a large project's
// dashboard must not hold up the main thread (page views), a page's charts are prepared there
// too, the worker keeps to its time budget and is stopped when idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { dashboardFor, loadDashboard } from '../../src/server/dashboards/dashboard.ts';
import { prepareCharts } from '../../src/server/dashboards/embed.ts';
import { DashboardPool, dashboardPool } from '../../src/server/dashboards/pool.ts';
import { db } from '../../src/server/db.ts';
import { renderMarkdown } from '../../src/server/markdown/render.ts';
import { htmlForViewer } from '../../src/server/pages/html-for-viewer.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { getRequirement, prepareRequirementCharts } from '../../src/server/requirements/view.ts';
import { postComment, readComments } from '../../src/server/comments/comments.ts';
import { previewHtml } from '../../src/server/editor/preview.ts';
import { viewRevision } from '../../src/server/pages/history.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { DEFAULT_CATEGORIES } from '../../src/server/projects/workflow.ts';
import { failure, freshEnvironment } from './setup-env.ts';

const DAY = 86_400_000;
let admin: Viewer;
let member: Viewer;

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('dashboard-worker'));
  const project = createProject(admin, { key: 'BIG', name: 'Big', owner: admin.email });
  // 20,000 requirements with 5 events each over a year: the dashboard's queries take a while.
  const now = Date.now();
  db().$client.transaction(() => {
    const req = db().$client.prepare(`insert into requirements (project_id, number, key, title, category, status, priority, reporter_id, assignee_id, due, tags, created_at, updated_at, closed_at)
      values (?, ?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?, ?, ?)`);
    const ev = db().$client.prepare('insert into requirement_events (requirement_id, kind, actor_id, data, created_at) values (?, ?, ?, ?, ?)');
    for (let n = 1; n <= 20_000; n++) {
      const category = DEFAULT_CATEGORIES[n % DEFAULT_CATEGORIES.length]!;
      const created = now - (n % 365) * DAY;
      const done = n % 3 !== 0;
      const state = done ? category.states.find((s) => s.done)!.key : category.states[0]!.key;
      const id = Number(req.run(project.id, n, `BIG-${n}`, `Item ${n}`, category.key, state, n % 2 ? admin.id : member.id, n % 5 ? member.id : null,
        new Date(created + (n % 20) * DAY).toISOString().slice(0, 10), JSON.stringify(n % 4 ? ['login'] : []), created, created, done ? created + (n % 30) * DAY / 2 : null).lastInsertRowid);
      for (let e = 0; e < 5; e++) ev.run(id, e % 2 ? 'commented' : 'transitioned', e % 2 ? admin.id : member.id, JSON.stringify({ from: 'x', to: state }), created + e * 3_600_000);
    }
  })();
}, 120_000);

afterAll(() => dashboardPool().close());

describe('the dashboard worker', () => {
  it('keeps the main thread free while a large dashboard computes, with the same figures as the main thread', async () => {
    // The same dashboard on the main thread: the time it would hold up every other request.
    const started = performance.now();
    const onMain = dashboardFor(admin, 'BIG', [['weeks', '52']]).dashboard;
    const blocked = performance.now() - started;
    expect(onMain.onTime.done).toBeGreaterThan(5000);

    // On the worker (another period, so nothing is remembered), with a 5 ms timer ticking meanwhile.
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => { const t = performance.now(); longestGap = Math.max(longestGap, t - last); last = t; }, 5);
    const onWorker = (await loadDashboard(admin, 'BIG', [['weeks', '51']])).dashboard;
    clearInterval(ticker);
    expect(onWorker.onTime.done).toBeGreaterThan(5000);
    // On this busy machine the OS alone may pause the thread for tens of ms: compared with what the
    // same work costs this thread when done here.
    console.log(`main thread held ${blocked.toFixed(0)} ms computing; longest timer gap while the worker computed ${longestGap.toFixed(0)} ms`);
    expect(blocked).toBeGreaterThan(100);
    expect(longestGap).toBeLessThan(blocked / 2); // done here, the gap would be all of `blocked`
    // The same numbers either way (the worker's, for the main thread's period).
    expect((await loadDashboard(admin, 'BIG', [['weeks', '52']], Date.now() + 60_000)).dashboard).toEqual(onMain);
  }, 60_000);

  it('prepares a page\'s and a requirement\'s charts on the worker: the view then draws them from memory, for its viewer', async () => {
    const page = (weeks: number) => renderMarkdown(`\`\`\`dossier-chart\nproject: BIG\nmetric: by-tag\nweeks: ${weeks}\n\`\`\`\n\n\`\`\`dossier-chart\nproject: BIG\nmetric: on-time\nweeks: ${weeks}\n\`\`\`\n`, { space: 'eng' }).html;
    // Tags changed behind the fingerprint's back (updated_at kept): figures computed at view time
    // would count the new tag, figures prepared before show the old one.
    const retag = (tag: string) => db().$client.prepare("update requirements set tags = json_array(?) where key like 'BIG-%' and tags != '[]'").run(tag);
    // Figures are remembered per minute: preparing in one minute and viewing in the next (a loaded
    // machine, near a minute's end) would compute them afresh, which is right, but not this test.
    const clearOfMinuteEnd = () => {
      const left = 60_000 - (Date.now() % 60_000);
      return new Promise((resolve) => setTimeout(resolve, left < 10_000 ? left + 50 : 0));
    };
    const html = page(30);
    await clearOfMinuteEnd();
    await prepareCharts(admin, html);
    retag('relabelled');
    const shown = htmlForViewer(admin, html, 'en');
    expect(shown.match(/<svg/g)).toHaveLength(2);
    expect(shown).toContain('<th scope="row">login</th>');
    expect(shown).not.toContain('relabelled');
    expect(dashboardFor(admin, 'BIG', [['weeks', '30']], Date.now() + 60_000).dashboard.byTag).toHaveProperty('relabelled'); // as computed now

    db().$client.prepare("update requirements set html = ? where key = 'BIG-1'").run(page(28));
    await clearOfMinuteEnd();
    await prepareRequirementCharts(admin, 'BIG-1');
    retag('login');
    const description = getRequirement(admin, 'BIG-1').html;
    expect(description.match(/<svg/g)).toHaveLength(2);
    expect(description).toContain('<th scope="row">relabelled</th>');

    // A viewer who may not read the project: nothing prepared, a placeholder shown.
    db().$client.prepare("update spaces set visibility = 'restricted' where key = 'big'").run();
    await prepareCharts(member, html);
    expect(htmlForViewer(member, html, 'en')).toContain('data-testid="chart-hidden"');
    db().$client.prepare("update spaces set visibility = 'org' where key = 'big'").run();
  }, 60_000);

  it('draws the charts of a preview, an old revision and a comment from figures computed on the worker', async () => {
    const chart = (weeks: number) => `\`\`\`dossier-chart\nproject: BIG\nmetric: on-time\nweeks: ${weeks}\n\`\`\`\n`;
    const started = performance.now();
    dashboardFor(admin, 'BIG', [['weeks', '45']]);
    const blocked = performance.now() - started; // what one of them costs this thread when done here
    await savePage(admin, { space: 'eng', path: 'weekly', title: 'Weekly', markdown: chart(44) });
    await savePage(admin, { space: 'eng', path: 'weekly', title: 'Weekly', markdown: 'Charts moved to the comments.', baseRevision: 1 });
    await postComment(admin, 'eng', 'weekly', { markdown: chart(43) });
    const views: [string, () => Promise<string>][] = [
      ['preview', () => previewHtml(admin, { space: 'eng', path: 'weekly', markdown: chart(42) }, 'en')],
      ['old revision', async () => (await viewRevision(admin, 'eng', 'weekly', 1, 'en')).html],
      ['comment', async () => (await readComments(admin, 'eng', 'weekly'))[0]!.html],
    ];
    for (const [what, view] of views) {
      let last = performance.now();
      let longestGap = 0;
      const ticker = setInterval(() => { const t = performance.now(); longestGap = Math.max(longestGap, t - last); last = t; }, 5);
      const html = await view();
      clearInterval(ticker);
      console.log(`${what}: longest timer gap ${longestGap.toFixed(0)} ms; the same chart on the main thread held it ${blocked.toFixed(0)} ms`);
      expect(html.match(/<svg/g), what).toHaveLength(1);
      expect(longestGap, what).toBeLessThan(blocked / 2);
    }
  }, 60_000);

  it('answers 503 for a dashboard over its time budget, then serves the next one; an idle worker is stopped', async () => {
    const { loadProject } = await import('../../src/server/projects/projects.ts');
    const project = loadProject(admin, 'BIG').project;
    const input = (weeks: number) => ({
      scope: { sql: `r.project_id = ${project.id}`, params: [] }, now: Date.now(),
      projects: [{ id: project.id, key: 'BIG', categories: DEFAULT_CATEGORIES, tagAliases: {} }],
      query: { range: { from: '2025-01-01', to: '2026-12-31', weeks: Array.from({ length: weeks }, () => '2026-01-05'), explicit: true }, filters: {} },
    });
    const tight = new DashboardPool({ timeLimitMs: 1, idleMs: 50 });
    const err = await failure(() => tight.compute(input(104)));
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/took too long/);
    const roomy = new DashboardPool({ idleMs: 50 });
    expect((await roomy.compute(input(2))).value.onTime.done).toBeGreaterThan(0);
    expect(roomy.running()).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(roomy.running()).toBe(false);
    expect((await roomy.compute(input(2))).value.onTime.done).toBeGreaterThan(0); // started again when asked
    await Promise.all([tight.close(), roomy.close()]);
  }, 60_000);
});
