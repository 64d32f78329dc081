// Builds the app and runs `npm start`'s script against a fresh data folder and the test Meilisearch.
// `startServer` is also used by tests that need a server of their own (to kill it and start it again).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { openDatabase } from '../../src/server/db.ts';
import { migrationsFolder } from '../../src/server/db-migrate.ts';
import { freePort } from '../../src/server/meili/process.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { ensureBuilt, root } from '../../scripts/lib/build.ts';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export interface RunningServer { child: ChildProcess; url: string; output: () => string }

/** `scripts/start.ts` on this data folder and port; resolves once it says it is running. */
export async function startServer(opts: { dataDir: string; port: number; env?: Record<string, string | undefined>; root?: string }): Promise<RunningServer> {
  const home = opts.root ?? root; // another copy of the project (the front-door test installs one below a dotted folder)
  const child = spawn(process.execPath, [path.join(home, 'scripts/start.ts')], {
    cwd: home,
    env: {
      ...process.env, PORT: String(opts.port), HOST: '127.0.0.1', DOSSIER_DATA_DIR: opts.dataDir,
      MEILI_URL: process.env.TEST_MEILI_URL, MEILI_MASTER_KEY: process.env.TEST_MEILI_KEY, DOSSIER_SEARCH_INDEX: `e2e_${opts.port}`,
      DOSSIER_ADMIN_EMAIL: ADMIN.email, DOSSIER_ADMIN_PASSWORD: ADMIN.password,
      // Webhook tests deliver to receivers the tests start on 127.0.0.1.
      DOSSIER_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Sign-in throttling tests pose as a proxy from 127.0.0.1 and as an untrusted peer from 127.0.0.2.
      DOSSIER_TRUSTED_PROXIES: '127.0.0.1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    const check = () => { if (output.includes('Dossier is running on')) { clearTimeout(timer); child.off('exit', exited); resolve(); } };
    const exited = (code: number | null) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); };
    child.stdout!.on('data', check);
    child.once('exit', exited);
  });
  return { child, url: `http://127.0.0.1:${opts.port}`, output: () => output };
}

/**
 * A fresh data folder whose database already has one space, so a server started on it skips the
 * demo import (half a minute or more on a busy 2-core machine).
 */
export function bareDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-own-'));
  const d = openDatabase(path.join(dir, 'dossier.db'));
  migrate(d, { migrationsFolder });
  upsertSpace(d, { key: 'scratch', name: 'Scratch' });
  d.$client.close();
  return dir;
}

/** Stops a server: SIGTERM (a clean stop) or SIGKILL (a crash); resolves once it has exited. */
export async function stopServer(server: RunningServer, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill(signal);
  await exited;
}

export default async function setup() {
  ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-e2e-'));
  const port = Number(process.env.TEST_DOSSIER_PORT) || (await freePort());
  const server = await startServer({ dataDir, port });
  // The demo is indexed in the background after the start: tests search it from their first line.
  const deadline = Date.now() + 180_000;
  while (((await (await fetch(`${server.url}/healthz`)).json()) as { outboxPending: number }).outboxPending > 0) {
    if (Date.now() > deadline) throw new Error('the demo content was not indexed within 3 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
  process.env.TEST_BASE_URL = server.url;
  process.env.TEST_DATA_DIR = dataDir;
  return async () => {
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
