// The cost of deleting the largest space of a kept bench import: the copy, then the transaction.
import path from 'node:path';
process.env.DOSSIER_DATA_DIR = process.env.DATA!;
const { migrateDatabase } = await import('../src/server/db-migrate.ts');
const { db } = await import('../src/server/db.ts');
const { setSpaceArchived } = await import('../src/server/archive/archive.ts');
const { deleteSpace } = await import('../src/server/spaces/delete-space.ts');
migrateDatabase();
const row = db().$client.prepare('select id, email, name from users where admin = 1 limit 1').get() as { id: number; email: string; name: string };
const admin = { id: row.id, email: row.email, name: row.name, admin: true, locale: null };
const key = process.env.KEY ?? 'tldr';
setSpaceArchived(admin, key, true);
// How long the event loop is held at most while it runs.
let worst = 0; let last = performance.now();
const tick = setInterval(() => { const now = performance.now(); worst = Math.max(worst, now - last - 10); last = now; }, 10);
const t0 = performance.now();
const result = await deleteSpace(admin, key, key);
console.log(result, `total ${(performance.now() - t0).toFixed(0)} ms, event loop held at most ${worst.toFixed(0)} ms`);
clearInterval(tick);
