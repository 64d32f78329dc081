// npm run import -- <folder> [--space <key>] [--as <email>] [--reference]: each subfolder becomes a space, or the
// folder one space; --reference marks them reference collections (see ImportOptions). A folder of
// Confluence's HTML space export is made Markdown first, in a scratch folder under the data folder.
// Works while the server runs (SQLite WAL; the running server's Meilisearch is reused).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dataDir } from '../src/server/config.ts';
import { closeDb, db } from '../src/server/db.ts';
import { userIdByEmail } from '../src/server/projects/projects.ts';
import { migrateDatabase } from '../src/server/db-migrate.ts';
import { isConfluenceExport } from '../src/server/content-io/confluence-html.ts';
import { importFolders, importSpace, type ImportReport } from '../src/server/content-io/import-folder.ts';
import { RenderPool } from '../src/server/pages/render-pool.ts';
import { seedProjects } from '../src/server/content-io/seed-projects.ts';
import { connectSearch } from '../src/server/meili/connect.ts';
import { drainOutbox, startIndexer } from '../src/server/search/indexer.ts';
import { assertSpaceKey } from '../src/server/spaces/spaces.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { space: { type: 'string' }, as: { type: 'string' }, reference: { type: 'boolean' }, 'no-index': { type: 'boolean' } } });
const folder = positionals[0];
if (!folder || !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
  console.error('usage: npm run import -- <folder> [--space <key>] [--as <email>] [--reference]');
  process.exit(2);
}
if (!values.space && isConfluenceExport(folder)) {
  console.error("This is one space, Confluence's HTML export: give its key with --space <key>");
  process.exit(2);
}
const started = performance.now();
migrateDatabase();
// --as: the person running the import, who owns new pages no frontmatter `owner` or space admin claims.
let importerId: number | undefined;
try {
  if (values.as !== undefined) importerId = userIdByEmail(db(), values.as);
} catch (err) {
  console.error(`--as: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
const scratch = fs.mkdtempSync(path.join(dataDir(), 'cli-import-'));
const opts = { importerId, reference: values.reference, scratch };
// Index while importing (as a running server would), then finish what is left.
const search = values['no-index'] ? null : await connectSearch(dataDir());
const indexer = search ? startIndexer() : null;
const pool = new RenderPool();
let report: ImportReport;
try {
  if (values.space) {
    report = { spaces: [], skipped: [] };
    await importSpace(path.resolve(folder), assertSpaceKey(values.space), report, pool, console.log, opts);
  } else {
    report = await importFolders(path.resolve(folder), pool, console.log, opts);
    // Folders whose _space.yaml declares a project (an exported project space) become that project, with its _requirements.csv.
    try {
      const seeded = await seedProjects(path.resolve(folder), { pool, log: console.log });
      for (const s of seeded.skipped) console.log(`project of ${s.space} not created: ${s.reason}`);
    } catch (err) {
      // The pages are in; a project that cannot be created (its spreadsheet refused) is said, not a crash.
      console.error(`projects: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    }
  }
} finally {
  await pool.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
const pagesDone = performance.now();
for (const s of report.spaces) console.log(`space ${s.key}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged`);
for (const s of report.skipped) console.log(`skipped ${s.file}: ${s.reason}`);
for (const w of report.warnings ?? []) console.log(`warning ${w.file}: ${w.reason}`);
const total = report.spaces.reduce((n, s) => n + s.created + s.updated + s.unchanged, 0);
console.log(`${total} pages in ${report.spaces.length} spaces, ${report.skipped.length} files skipped, ${((pagesDone - started) / 1000).toFixed(1)} s`);
if (search) {
  await indexer!.stop();
  await drainOutbox();
  console.log(`search: everything indexed, ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
  await search.stop();
}
closeDb();
