// node scripts/bench/rowlevel.ts: what the row-level visibility predicate costs. A fresh data folder
// with one project of 20,000 requirements (2,000 restricted by their own flag, and the 5,000 of
// category `issue` restricted by the category), read in-process as a site admin (predicate `1`,
// the baseline) and as an ordinary reader (the full predicate): the list's first 500, the figure
// cards, the project list's counts, and a count through the raw predicate. Prints p50/p99; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readableRequirementsSql, type Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { createProject, projectSummary, setCategories, listProjects } from '../../src/server/projects/projects.ts';
import { projectDashboard } from '../../src/server/requirements/dashboard.ts';
import { listRequirements } from '../../src/server/requirements/list.ts';

const N = 20_000;
const RUNS = 60;

process.env.DOSSIER_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-rowlevel-'));
migrateDatabase();
const adminId = await createUser({ email: 'admin@example.com', name: 'Admin', password: 'a long enough password', admin: true });
const readerId = await createUser({ email: 'reader@example.com', name: 'Reader', password: 'a long enough password' });
const admin: Viewer = { id: adminId, email: 'admin@example.com', name: 'Admin', admin: true, locale: null };
const reader: Viewer = { id: readerId, email: 'reader@example.com', name: 'Reader', admin: false, locale: null };
const project = createProject(admin, { key: 'BIG', name: 'Big', owner: 'admin@example.com', visibility: 'restricted' });
setGrants(admin, 'big', [{ user: 'reader@example.com', role: 'reader' }]);
setCategories(admin, 'BIG', projectSummary(admin, 'BIG').categories.map((c) => (c.key === 'issue' ? { ...c, restricted: true } : c)));

const insert = db().$client.prepare(`insert into requirements (project_id, number, key, title, category, status, reporter_id, assignee_id, restricted, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
db().$client.transaction(() => {
  for (let i = 1; i <= N; i++) {
    const category = i % 4 === 0 ? 'issue' : 'feature';
    insert.run(project.id, i, `BIG-${i}`, `Requirement ${i}`, category, category === 'issue' ? 'open' : 'submitted', adminId, i % 50 === 0 ? readerId : null, i % 10 === 1 ? 1 : 0, Date.now(), Date.now());
  }
})();

function time(label: string, fn: () => unknown): void {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!.toFixed(2);
  console.log(`${label.padEnd(48)} p50 ${at(0.5).padStart(7)} ms   p99 ${at(0.99).padStart(7)} ms`);
}

const count = (v: Viewer) => {
  const p = readableRequirementsSql(v, 'r');
  return db().$client.prepare<(string | number)[], { n: number }>(`select count(*) as n from requirements r where ${p.sql}`).get(...p.params)!.n;
};
console.log(`${N} requirements; readable by the site admin: ${count(admin)}, by the reader: ${count(reader)}`);
for (const [who, v] of [['site admin (baseline)', admin], ['reader (predicate)', reader]] as const) {
  time(`list, first 500 — ${who}`, () => listRequirements(v, 'BIG', { limit: 500 }));
  time(`figure cards — ${who}`, () => projectDashboard(v, 'BIG'));
  time(`project list counts — ${who}`, () => listProjects(v));
  time(`count(*) through the predicate — ${who}`, () => count(v));
}
