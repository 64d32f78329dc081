// The import of an uploaded archive's unpacked space, run by its own process (import-archive.ts
// starts it and waits), as the demo content is (scripts/lib/import-demo.ts): in the server's own
// process a 2,144-page import left its RSS ~200 MB higher for good (worker heaps, freed memory
// glibc keeps, heap garbage no idle collection took back), and a process that exits returns all.
//   node src/server/content-io/import-job.ts <folder holding the space's folder> <importer's user id> [org | restricted]
// DOSSIER_DATA_DIR and the Meilisearch connection come from the server's environment. Prints a
// line of JSON `{"progress": {"space", "pages"}}` after each batch of pages is stored, and last
// one line of JSON: the import's report, the project seeded and problems, or `{"error": "…"}`.
import path from 'node:path';
import { closeDb } from '../db.ts';
import { RenderPool } from '../pages/render-pool.ts';
import { importFolders, type ImportReport } from './import-folder.ts';
import { seedProjects } from './seed-projects.ts';

export interface JobResult { report: ImportReport; project: string | null; problems: string[] }

const [dir, importer, visibility] = process.argv.slice(2);
// When the server that started it goes (a crash, a restart), the import stops with it rather than
// write on unseen; the server removes its folder at its next start (removeAbandonedImports).
const server = process.ppid;
setInterval(() => { if (process.ppid !== server) process.exit(1); }, 1000).unref();
const pool = new RenderPool();
try {
  // Confluence's HTML export is made a folder of Markdown first, beside the unpacked archive, here rather than in the server.
  const report = await importFolders(dir!, pool, () => {}, {
    importerId: Number(importer) || undefined, scratch: path.join(path.dirname(dir!), 'converted'),
    visibility: visibility === 'org' || visibility === 'restricted' ? visibility : undefined,
    progress: (space, pages) => process.stdout.write(`${JSON.stringify({ progress: { space, pages } })}\n`),
  });
  const problems: string[] = [];
  let project: string | null = null;
  try {
    const seeded = await seedProjects(dir!, { pool });
    project = seeded.projects[0]?.key ?? null;
    problems.push(...seeded.skipped.map((s) => `project not created: ${s.reason}`));
  } catch (err) {
    problems.push(`project not created: ${err instanceof Error ? err.message : String(err)}`);
  }
  process.stdout.write(`${JSON.stringify({ report, project, problems } satisfies JobResult)}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exitCode = 1;
} finally {
  await pool.close();
  closeDb();
}
