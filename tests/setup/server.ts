// Builds the app and runs `npm start`'s script against a fresh data folder and the test Meilisearch.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/server/meili/process.ts';
import { ensureBuilt, root } from '../../scripts/lib/build.ts';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };

export interface TestServer { url: string; dataDir: string; stop(): Promise<void> }

/** A server of its own on a fresh data folder; `env` adds to (or replaces) the test settings. */
export async function startServer(env: Record<string, string | undefined> = {}, port?: number): Promise<TestServer> {
  ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-e2e-'));
  port ??= await freePort();
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
    cwd: root,
    env: {
      ...process.env, PORT: String(port), HOST: '127.0.0.1', DOSSIER_DATA_DIR: dataDir,
      MEILI_URL: process.env.TEST_MEILI_URL, MEILI_MASTER_KEY: process.env.TEST_MEILI_KEY, DOSSIER_SEARCH_INDEX: `e2e_${port}`,
      DOSSIER_ADMIN_EMAIL: ADMIN.email, DOSSIER_ADMIN_PASSWORD: ADMIN.password,
      // Webhook tests deliver to receivers the tests start on 127.0.0.1.
      DOSSIER_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Sign-in throttling tests pose as a proxy from 127.0.0.1 and as an untrusted peer from 127.0.0.2.
      DOSSIER_TRUSTED_PROXIES: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Dossier is running on')) { clearTimeout(timer); resolve(); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export default async function setup() {
  const server = await startServer({}, Number(process.env.TEST_DOSSIER_PORT) || undefined);
  process.env.TEST_BASE_URL = server.url;
  process.env.TEST_DATA_DIR = server.dataDir;
  return () => server.stop();
}
