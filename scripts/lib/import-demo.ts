// The demo content of a first start, imported by its own process (scripts/start.ts runs it and
// waits): the content folders as spaces (pages owned by the first admin unless their frontmatter
// names an owner), the projects those folders declare with their requirements from CSV, and the
// demo company's search synonyms. In the server's own process, the import's short-lived
// allocations (render workers, parsed files) left ~130 MB of freed memory that glibc never gave
// back, for as long as that first server ran (memory-report.ts); a process that exits returns all.
//   node scripts/lib/import-demo.ts <first admin's id>
// DOSSIER_DATA_DIR and the Meilisearch connection (DOSSIER_MEILI_URL, DOSSIER_MEILI_KEY) come from
// the server's environment.
import path from 'node:path';
import { importFolders } from '../../src/server/content-io/import-folder.ts';
import { seedProjects } from '../../src/server/content-io/seed-projects.ts';
import { seedSynonyms } from '../../src/server/content-io/seed-synonyms.ts';
import { closeDb } from '../../src/server/db.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { root } from './build.ts';

const log = (m: string) => console.log(`[dossier] ${m}`);
const adminId = Number(process.argv[2]) || undefined;
const content = path.join(root, 'content');
const pool = new RenderPool();
const report = await importFolders(content, pool, () => {}, { importerId: adminId });
log(`imported demo content: ${report.spaces.map((s) => `${s.key} (${s.created} pages)`).join(', ')}`);
await seedProjects(content, { pool, log: (m) => log(`demo ${m}`) });
log(`demo search synonyms: ${await seedSynonyms(content)} groups`);
await pool.close();
closeDb();
