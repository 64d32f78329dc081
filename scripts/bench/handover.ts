// The handover of a person holding 1,000 open requirements (which they also watch, as reporter)
// and 500 pages they created and watch, to a successor, with deactivation: how long the domain
// call behind POST /api/v1/users/<id>/handover takes, and proof that it was ONE transaction (the
// commit frames in the WAL, counted from an emptied WAL). Each run uses a fresh database.
//   node scripts/bench/handover.ts [--requirements 1000] [--pages 500] [--runs 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countWalCommits, truncateWal } from './wal-commits.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const REQUIREMENTS = arg('requirements', 1000);
const PAGES = arg('pages', 500);
const RUNS = arg('runs', 3);

const { migrateDatabase } = await import('../../src/server/db-migrate.ts');
const { closeDb, db, write } = await import('../../src/server/db.ts');
const { dbFile } = await import('../../src/server/config.ts');
const { createUser } = await import('../../src/server/auth/users.ts');
const { upsertSpace } = await import('../../src/server/spaces/spaces.ts');
const { createProject, loadProject } = await import('../../src/server/projects/projects.ts');
const { insertRequirement } = await import('../../src/server/requirements/submit.ts');
const { handOver } = await import('../../src/server/admin/handover.ts');
const { orphans, userHoldings } = await import('../../src/server/admin/holdings.ts');
type Viewer = import('../../src/server/access/index.ts').Viewer;

async function seed(): Promise<{ admin: Viewer; leaverId: number }> {
  migrateDatabase();
  const adminId = await createUser({ email: 'admin@example.com', name: 'Admin', password: 'bench admin password', admin: true });
  const admin: Viewer = { id: adminId, email: 'admin@example.com', name: 'Admin', admin: true, locale: null };
  const leaverId = await createUser({ email: 'leaver@example.com', name: '张敏', password: 'bench leaver password' });
  await createUser({ email: 'heir@example.com', name: '王芳', password: 'bench heir password' });
  createProject(admin, { key: 'BIG', name: 'Big project', owner: 'leaver@example.com' });
  const { project } = loadProject(admin, 'BIG');
  // Submitted by the leaver with no routing rule: each goes to the owner (the leaver), who also watches it.
  write((tx) => {
    for (let i = 1; i <= REQUIREMENTS; i++) {
      insertRequirement(tx, project, leaverId, { title: `Requirement ${i}`, description: '', category: 'issue', priority: 'normal', due: null, tags: [] }, { html: '', text: '' });
    }
  });
  // Pages straight into the tables (rendering 500 pages would measure the renderer, not the handover).
  write((tx) => {
    const space = upsertSpace(tx, { key: 'docs', name: 'Docs', kind: 'guide' });
    const sqlite = tx.$client;
    // Created by the leaver, so owned by them (what a handover moves).
    const page = sqlite.prepare(`insert into pages (space_id, path, title, title_key, revision, html, text, headings, sections, updated_at, updated_by, owner_id)
      values (?, ?, ?, ?, 1, '<p>x</p>', 'x', '[]', '[]', ?, ?, ?) returning id`);
    const revision = sqlite.prepare("insert into revisions (page_id, number, title, markdown, author_id) values (?, 1, ?, 'x', ?)");
    const watch = sqlite.prepare('insert into page_watches (user_id, page_id) values (?, ?)');
    for (let i = 1; i <= PAGES; i++) {
      const { id } = page.get(space.id, `page-${i}`, `Page ${i}`, `page ${i}`, Date.now(), leaverId, leaverId) as { id: number };
      revision.run(id, `Page ${i}`, leaverId);
      watch.run(leaverId, id);
    }
  });
  return { admin, leaverId };
}

const times: number[] = [];
for (let run = 1; run <= RUNS; run++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-handover-'));
  process.env.DOSSIER_DATA_DIR = dataDir;
  const { admin, leaverId } = await seed();
  const held = userHoldings(admin, leaverId, 1);
  truncateWal(db().$client);
  const started = performance.now();
  const result = handOver(admin, leaverId, { to: 'heir@example.com', deactivate: true });
  const ms = performance.now() - started;
  const commits = countWalCommits(dbFile());
  const walBytes = fs.statSync(`${dbFile()}-wal`).size;
  const events = (db().$client.prepare("select count(*) as n from requirement_events where kind = 'handed_over'").get() as { n: number }).n;
  const left = orphans(admin).total;
  times.push(ms);
  console.log(`run ${run}: held ${held.requirements.count} open requirements, ${held.pagesOwned.count} pages, ${held.watches.requirements.count + held.watches.pages.count} watches`);
  console.log(`  handover ${ms.toFixed(0)} ms · ${commits} commit(s) in the WAL (${(walBytes / 1024 / 1024).toFixed(1)} MiB) · ${events} handed_over events · orphans left: ${left}`);
  console.log(`  moved ${JSON.stringify(result.moved)}`);
  if (commits !== 1) throw new Error(`expected one transaction, the WAL holds ${commits} commits`);
  if (result.moved.requirements !== REQUIREMENTS || result.moved.pages !== PAGES || events !== REQUIREMENTS || left !== 0) throw new Error('the handover did not move everything');
  closeDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log(`\nhandover of ${REQUIREMENTS} requirements + ${PAGES} pages: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}) over ${RUNS} runs; one transaction each`);
