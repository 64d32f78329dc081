// Applies drizzle-kit's SQL migrations. Used by scripts (start, import, tests), not by the built server.
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { db } from './db.ts';

export const migrationsFolder = fileURLToPath(new URL('../../db/migrations', import.meta.url));

export function migrateDatabase(): void {
  migrate(db(), { migrationsFolder });
}
