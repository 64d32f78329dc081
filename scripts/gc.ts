// npm run gc: removes attachment files no page or revision can reach any more, and reports what it freed.
import { closeDb } from '../src/server/db.ts';
import { migrateDatabase } from '../src/server/db-migrate.ts';
import { collectGarbage } from '../src/server/attachments/gc.ts';

migrateDatabase();
const r = collectGarbage();
console.log(`[dossier] gc: removed ${r.files} files (${(r.bytes / 1024 / 1024).toFixed(1)} MB) and ${r.rows} deleted attachment rows; ${r.kept} files in use`);
closeDb();
