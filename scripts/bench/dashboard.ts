// npm run bench:dashboard: a generated project of 20,000 requirements and 200,000 events over a
// year, on a server started on a fresh data folder. Prints p50/p99 of
//   - the dashboard API, the project dashboard page, a page embedding four charts, and the same
//     page without charts, each cold (right after a comment on a requirement, so no remembered
//     figures) and warm;
//   - the plain page view alone, and again while 4 clients load dashboards at the same time
//     (each with a different period, so every one is computed afresh).
// Prints figures; asserts nothing. BENCH_N=<n> requests per measurement (default 40); BENCH_KEEP=1
// keeps the data folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../src/server/auth/users.ts';
import { closeDb, db } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { DEFAULT_CATEGORIES } from '../../src/server/projects/workflow.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { ensureBuilt } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const REQUIREMENTS = 20_000;
const EVENTS_EACH = 10; // 200,000 in all
const N = Number(process.env.BENCH_N ?? 40);
const ONLY_GENERATE = process.env.BENCH_ONLY === 'generate';
const DAY = 86_400_000;
const log = (m: string) => console.log(m);
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(10);

ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-dashboard-'));
process.env.DOSSIER_DATA_DIR = dataDir;
migrateDatabase();
upsertSpace(db(), { key: 'bench', name: 'Bench' }); // a space already there: the server skips the demo import
const adminId = await createUser({ email: 'bench@example.com', name: 'Bench', password: 'benchmark password', admin: true });
const people = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser({ email: `p${i}@example.com`, name: `Person ${i}`, password: 'benchmark password' })));
const project = createProject({ id: adminId, email: 'bench@example.com', name: 'Bench', admin: true, locale: null }, { key: 'BIG', name: 'Big project', owner: 'bench@example.com' });

// A fixed pseudo-random sequence: every run generates the same project.
let seed = 42;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const t0 = performance.now();
const now = Date.now();
db().$client.transaction(() => {
  const req = db().$client.prepare(`insert into requirements (project_id, number, key, title, category, status, priority, assignee_id, reporter_id, due, tags, created_at, updated_at, closed_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const ev = db().$client.prepare('insert into requirement_events (requirement_id, kind, actor_id, data, created_at) values (?, ?, ?, ?, ?)');
  for (let n = 1; n <= REQUIREMENTS; n++) {
    const category = pick(DEFAULT_CATEGORIES);
    const created = now - Math.floor(rand() * 365 * DAY);
    const done = rand() < 0.6;
    const doneAt = done ? Math.min(now - 1000, created + Math.floor(rand() * 40 * DAY)) : null;
    const doneState = category.states.find((s) => s.done)!.key;
    const open = category.states.filter((s) => !s.done);
    const status = done ? doneState : pick(open).key;
    const due = rand() < 0.7 ? new Date(created + Math.floor(rand() * 30 * DAY)).toISOString().slice(0, 10) : null;
    const reporter = pick(people);
    const assignee = rand() < 0.85 ? pick(people) : null;
    const tags = JSON.stringify(rand() < 0.5 ? [pick(['login', 'checkout', 'vip', 'mobile', '支付', 'api'])] : []);
    const id = Number(req.run(project.id, n, `BIG-${n}`, `Requirement ${n}`, category.key, status, pick(['low', 'normal', 'high', 'urgent']),
      assignee, reporter, due, tags, created, doneAt ?? created, doneAt).lastInsertRowid);
    ev.run(id, 'created', reporter, '{}', created);
    const last = doneAt ?? now;
    for (let e = 1; e < EVENTS_EACH; e++) {
      const at = created + Math.floor(((last - created) * e) / EVENTS_EACH);
      const actor = rand() < 0.3 ? reporter : pick(people);
      if (done && e === EVENTS_EACH - 1) ev.run(id, 'transitioned', actor, JSON.stringify({ from: open[0]!.key, to: doneState, comment: '' }), doneAt!);
      else if (e % 3 === 0) ev.run(id, 'transitioned', actor, JSON.stringify({ from: open[0]!.key, to: pick(open).key, comment: '' }), at);
      else ev.run(id, 'commented', actor, '{}', at);
    }
  }
  db().$client.prepare('update projects set next_number = ? where id = ?').run(REQUIREMENTS + 1, project.id);
})();
db().$client.pragma('optimize');
log(`generated ${REQUIREMENTS.toLocaleString()} requirements and ${(REQUIREMENTS * EVENTS_EACH).toLocaleString()} events in ${ms(performance.now() - t0).trim()}`);
closeDb();
if (ONLY_GENERATE) { log(`generated into ${dataDir}`); process.exit(0); }

const { server, base } = await startBenchServer(dataDir);
try {
  const { token, cookie } = await benchSession(base);
  let resets = 0;
  const get = async (url: string, auth: 'token' | 'cookie'): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${base}${url}`, { headers: auth === 'token' ? { authorization: `Bearer ${token}` } : { cookie } }).catch((err: Error) => {
      // A kept-alive connection the server closed just as it was reused: counted, and asked again.
      if ((err.cause as { code?: string } | undefined)?.code !== 'ECONNRESET') throw err;
      resets++;
      return fetch(`${base}${url}`, { headers: auth === 'token' ? { authorization: `Bearer ${token}` } : { cookie } });
    });
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    await res.arrayBuffer();
    return performance.now() - t;
  };
  const put = async (p: string, markdown: string) => {
    const res = await fetch(`${base}/api/v1/pages/bench/${p}`, { method: 'PUT', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ title: p, markdown }) });
    if (res.status >= 300) throw new Error(`saving ${p}: ${res.status} ${await res.text()}`);
  };
  const chart = (metric: string) => `\`\`\`dossier-chart\nproject: BIG\nmetric: ${metric}\nweeks: 12\n\`\`\`\n`;
  const prose = Array.from({ length: 30 }, (_, i) => `Paragraph ${i}: what we shipped this week, what slipped and why, and what comes next.`).join('\n\n');
  await put('plain', `# Weekly report\n\n${prose}\n`);
  await put('charts', `# Weekly report\n\n${prose}\n\n${['on-time', 'created-done', 'by-status', 'overdue-assignee'].map(chart).join('\n')}`);

  let writes = 0;
  // A comment is a new requirement event: the remembered figures no longer hold, and the next
  // view computes them afresh.
  const invalidate = async () => {
    const res = await fetch(`${base}/api/v1/requirements/BIG-1/comments`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ comment: `note ${writes++}` }) });
    if (res.status !== 201) throw new Error(`commenting: ${res.status}`);
  };
  const targets: [string, string, 'token' | 'cookie'][] = [
    ['dashboard API (12 weeks)', '/api/v1/projects/BIG/dashboard', 'token'],
    ['dashboard page', '/p/BIG/dashboard', 'cookie'],
    ['page with 4 charts', '/s/bench/charts', 'cookie'],
    ['plain page', '/s/bench/plain', 'cookie'],
  ];
  log(`\n${N} requests each, one at a time                      p50        p99`);
  for (const [name, url, auth] of targets) {
    await get(url, auth);
    const cold: number[] = [];
    for (let i = 0; i < N; i++) { await invalidate(); cold.push(await get(url, auth)); }
    const warm: number[] = [];
    for (let i = 0; i < N; i++) warm.push(await get(url, auth));
    log(`${`${name}, cold`.padEnd(48)}${ms(pct(cold, 50))} ${ms(pct(cold, 99))}`);
    log(`${`${name}, warm`.padEnd(48)}${ms(pct(warm, 50))} ${ms(pct(warm, 99))}`);
  }

  // Page views alone, then while 4 clients keep loading dashboards of different periods.
  // While dashboards load, views go on until at least 8 dashboards were computed meanwhile, so
  // that the views span whole computations, not just their start.
  const views = async (untilDashboards = 0) => {
    const xs: number[] = [];
    const from = dashboards;
    while (xs.length < N * 2 || dashboards - from < untilDashboards) xs.push(await get('/s/bench/plain', 'cookie'));
    return xs;
  };
  let dashboards = 0;
  const alone = await views();
  let loading = true;
  const loaders = Array.from({ length: 4 }, async (_, k) => {
    for (let w = 1 + k * 26; loading; w = (w % 104) + 1) { await get(`/api/v1/projects/BIG/dashboard?weeks=${w}`, 'token'); dashboards++; }
  });
  const during = await views(8);
  loading = false;
  await Promise.all(loaders);
  log(`\nplain page views (${alone.length} alone, ${during.length} while), one at a time  p50        p99`);
  log(`${'alone'.padEnd(48)}${ms(pct(alone, 50))} ${ms(pct(alone, 99))}`);
  log(`${`while 4 clients load dashboards (${dashboards} done)`.padEnd(48)}${ms(pct(during, 50))} ${ms(pct(during, 99))}`);
  log(`${'ratio (while ÷ alone)'.padEnd(48)}${`${(pct(during, 50) / pct(alone, 50)).toFixed(2)}×`.padStart(10)} ${`${(pct(during, 99) / pct(alone, 99)).toFixed(2)}×`.padStart(10)}`);
  if (resets) log(`(${resets} connection resets, each asked again)`);
} finally {
  server.kill('SIGTERM');
  if (process.env.BENCH_KEEP) log(`kept ${dataDir}`);
  else fs.rmSync(dataDir, { recursive: true, force: true });
}
