// Each integration test file gets its own SQLite file and its own index in the shared test Meilisearch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../src/server/auth/users.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { publishMeili } from '../../src/server/search/client.ts';
import { ensureIndex } from '../../src/server/search/settings.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { write } from '../../src/server/db.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { DomainError } from '../../src/server/errors.ts';

export async function freshEnvironment(name: string): Promise<{ dataDir: string; admin: Viewer; member: Viewer }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `dossier-${name}-`));
  process.env.DOSSIER_DATA_DIR = dataDir;
  process.env.DOSSIER_SEARCH_INDEX = `${name}_${process.pid}_${Date.now()}`;
  publishMeili(process.env.TEST_MEILI_URL!, process.env.TEST_MEILI_KEY!);
  migrateDatabase();
  await ensureIndex();
  const adminId = await createUser({ email: 'admin@example.com', name: 'Ada Admin', password: 'a long enough password', admin: true });
  const memberId = await createUser({ email: 'li.lei@example.com', name: '李雷', password: 'another long password' });
  write((tx) => {
    upsertSpace(tx, { key: 'eng', name: 'Engineering', kind: 'guide' });
    upsertSpace(tx, { key: 'hr', name: '人事', kind: 'policy' });
  });
  const admin: Viewer = { id: adminId, email: 'admin@example.com', name: 'Ada Admin', admin: true, locale: null };
  setGrants(admin, 'eng', [{ user: 'li.lei@example.com', role: 'editor' }]);
  return {
    dataDir,
    admin,
    member: { id: memberId, email: 'li.lei@example.com', name: '李雷', admin: false, locale: null },
  };
}

/** The DomainError `fn` throws (or rejects with); fails the test when it succeeds. */
export async function failure(fn: () => unknown): Promise<DomainError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}

/** Polls until fn gives something (a non-empty list, when a list). */
export async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v && !(Array.isArray(v) && v.length === 0)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
