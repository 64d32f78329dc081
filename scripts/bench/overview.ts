// What the project overview costs (issue 11, part 4): a project with 2,000 requirements (with their
// created / reassigned / transitioned events), 300 pages of two revisions each, key documents and a
// phase history. Measures the domain call in this process, then GET /api/v1/projects/BIG/overview
// and the page /p/BIG/overview one request at a time through the built server (npm start's script),
// and prints p50/p99.
//   node scripts/bench/overview.ts [--runs 100]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../src/server/auth/users.ts';
import { closeDb, db } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { startEmbeddedMeili } from '../../src/server/meili/process.ts';
import { projectOverview } from '../../src/server/projects/overview.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { ensureBuilt } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const i = process.argv.indexOf('--runs');
const RUNS = i > 0 ? Number(process.argv[i + 1]) : 100;
const REQUIREMENTS = 2000;
const PAGES = 300;
const log = (m: string) => console.log(m);

ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-overview-'));
process.env.DOSSIER_DATA_DIR = dataDir;
const meili = await startEmbeddedMeili(path.join(dataDir, 'meili'));
migrateDatabase();
const PASSWORD = 'benchmark password';
const adminId = await createUser({ email: 'bench@example.com', name: 'Bench', password: PASSWORD, admin: true });
const admin = { id: adminId, email: 'bench@example.com', name: 'Bench', admin: true, locale: null };
const people: { id: number; email: string }[] = [];
for (let n = 0; n < 20; n++) {
  const email = `person${n}@example.com`;
  people.push({ id: await createUser({ email, name: `Person ${n}`, password: PASSWORD }), email });
}
const project = createProject(admin, { key: 'BIG', name: 'Big project' });

// Rows written directly, in one transaction: the shapes the app writes, without rendering 2,300 documents.
const sqlite = db().$client;
const DAY = 86_400_000;
const start = Date.parse('2026-01-05T09:00:00Z');
sqlite.transaction(() => {
  const req = sqlite.prepare(`insert into requirements (project_id, number, key, title, category, status, assignee_id, reporter_id, due, closed_at, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const ev = sqlite.prepare('insert into requirement_events (requirement_id, kind, actor_id, data, created_at) values (?, ?, ?, ?, ?)');
  for (let n = 1; n <= REQUIREMENTS; n++) {
    const feature = n % 2 === 0;
    const done = n % 3 !== 0;
    const created = start + (n % 200) * DAY;
    const closed = done ? created + (5 + (n % 40)) * DAY : null;
    const assignee = people[n % people.length]!;
    const reporter = people[(n * 7) % people.length]!;
    const later = people[(n + 3) % people.length]!;
    const holder = n % 4 === 0 ? later : assignee;
    const due = new Date(created + (10 + (n % 30)) * DAY).toISOString().slice(0, 10);
    const { lastInsertRowid: id } = req.run(project.id, n, `BIG-${n}`, `Requirement ${n}`, feature ? 'feature' : 'issue',
      done ? (feature ? 'done' : 'closed') : (feature ? 'in-progress' : 'open'), holder.id, reporter.id, due, closed, created, closed ?? created);
    ev.run(id, 'created', reporter.id, JSON.stringify({ title: `Requirement ${n}`, category: feature ? 'feature' : 'issue', assignee: assignee.email }), created);
    if (n % 4 === 0) {
      ev.run(id, 'changed', admin.id, JSON.stringify({ fields: ['assignee'], changes: [{ field: 'assignee', before: assignee.email, after: later.email }], assigneeChanged: true }), created + DAY);
    }
    ev.run(id, 'commented', holder.id, JSON.stringify({ comment: 'On it.' }), created + 2 * DAY);
    if (done) ev.run(id, 'transitioned', holder.id, JSON.stringify({ from: feature ? 'in-review' : 'open', to: feature ? 'done' : 'closed' }), closed!);
  }
  sqlite.prepare('update projects set next_number = ? where id = ?').run(REQUIREMENTS + 1, project.id);
  const page = sqlite.prepare(`insert into pages (space_id, path, title, title_key, tags, revision, html, text, headings, sections, updated_at, updated_by, created_at)
    values (?, ?, ?, ?, ?, 2, ?, ?, '[]', '[]', ?, ?, ?)`);
  const rev = sqlite.prepare('insert into revisions (page_id, number, title, markdown, author_id, created_at) values (?, ?, ?, ?, ?, ?)');
  const link = sqlite.prepare('insert into requirement_links (requirement_id, page_id, relation, created_by) values (?, ?, ?, ?)');
  const relations = ['plan', 'spec', 'review', 'retro', 'status'];
  for (let n = 1; n <= PAGES; n++) {
    const title = n === 1 ? 'Big project' : `Document ${n}`;
    const at = start + (n % 200) * DAY;
    const tags = n % 10 === 0 ? [relations[(n / 10) % relations.length]] : ['notes'];
    const { lastInsertRowid: id } = page.run(project.spaceId, n === 1 ? '' : `docs/doc-${n}`, title, title.toLowerCase(), JSON.stringify(tags),
      `<p>${title}</p>`, `${title}\n\nWhat this document is about.`, at + DAY, people[n % people.length]!.id, at);
    rev.run(id, 1, title, `${title}\n\nFirst draft.`, people[n % people.length]!.id, at);
    rev.run(id, 2, title, `${title}\n\nWhat this document is about.`, people[(n + 1) % people.length]!.id, at + DAY);
    if (n % 3 === 0) link.run(n * 5, id, relations[n % 4], admin.id);
  }
  const phase = sqlite.prepare('insert into project_phase_events (project_id, from_phase, to_phase, actor_id, comment, created_at) values (?, ?, ?, ?, ?, ?)');
  phase.run(project.id, 'initiation', 'planning', admin.id, 'Plan approved', start + 10 * DAY);
  phase.run(project.id, 'planning', 'execution', admin.id, 'Build starts', start + 30 * DAY);
  sqlite.prepare("update projects set phase = 'execution' where id = ?").run(project.id);
})();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const figures = (name: string, ms: number[], extra = '') =>
  log(`  ${name.padEnd(34)} p50 ${pct(ms, 50).toFixed(1).padStart(6)} ms   p99 ${pct(ms, 99).toFixed(1).padStart(6)} ms   (${ms.length} runs)${extra}`);
async function time(fn: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let n = 0; n < 5; n++) await fn(); // warm up
  const out: number[] = [];
  for (let n = 0; n < RUNS; n++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

log(`\n== Project overview: ${REQUIREMENTS} requirements, ${PAGES} pages (${PAGES * 2} revisions), one request at a time`);
const o = projectOverview(admin, 'BIG');
log(`  (overview: ${o.people.length} people, ${o.activity.length} activity items, ${o.timeline.length} timeline periods, ${Object.values(o.documents).flat().length} documents)`);
figures('projectOverview() in process', await time(() => projectOverview(admin, 'BIG')));
closeDb();

const { server, base } = await startBenchServer(dataDir, { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey });
try {
  const { token, cookie } = await benchSession(base, 'bench@example.com', PASSWORD);
  const get = (url: string, headers: Record<string, string>) => async () => {
    const res = await fetch(`${base}${url}`, { headers });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.slice(0, 200)}`);
    return body.length;
  };
  const api = get('/api/v1/projects/BIG/overview', { authorization: `Bearer ${token}` });
  const page = get('/p/BIG/overview', { cookie });
  figures('GET /api/v1/projects/BIG/overview', await time(api), `   ${((await api()) / 1024).toFixed(0)} kB`);
  figures('GET /p/BIG/overview (page)', await time(page), `   ${((await page()) / 1024).toFixed(0)} kB`);
  figures('GET /p/BIG/overview?kind=phase', await time(get('/p/BIG/overview?kind=phase', { cookie })));
} finally {
  server.kill('SIGTERM');
  await meili.stop();
}
process.exit(0);
