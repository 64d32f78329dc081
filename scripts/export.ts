// npm run export -- <space>[/<path>] [--out <file.zip>]: the zip GET /api/v1/exports/… gives
// (src/server/content-io/export-space.ts), written to a file, with the operator's authority: as the
// first site admin, who is named in the audit log. Works while the server runs (SQLite WAL).
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { firstSiteAdmin } from '../src/server/auth/first-admin.ts';
import { exportSpace } from '../src/server/content-io/export-space.ts';
import { closeDb } from '../src/server/db.ts';
import { migrateDatabase } from '../src/server/db-migrate.ts';
import { DomainError } from '../src/server/errors.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' } } });
const [space, ...rest] = (positionals[0] ?? '').split('/');
if (!space) {
  console.error('usage: npm run export -- <space>[/<path>] [--out <file.zip>]');
  process.exit(2);
}
migrateDatabase();
const admin = firstSiteAdmin();
if (!admin) {
  console.error('No active site admin to export as: start the server once first.');
  process.exit(2);
}
try {
  const out = exportSpace(admin, space, rest.join('/'));
  const file = values.out ?? out.filename;
  await pipeline(out.stream, fs.createWriteStream(file));
  console.log(`${file}: ${out.pages} pages, ${out.files} files, ${(fs.statSync(file).size / 1024).toFixed(1)} kB`);
} catch (err) {
  if (!(err instanceof DomainError)) throw err;
  console.error(err.status === 404 ? `No space or page "${positionals[0]}"` : err.message);
  process.exitCode = 1;
} finally {
  closeDb();
}
