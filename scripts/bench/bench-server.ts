// The server a benchmark measures: `npm start`'s own script on a prepared data folder, on a free
// port, and a signed-in session on it (bearer token for the API, cookie for pages).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../src/server/meili/process.ts';
import { root } from '../lib/build.ts';

export async function startBenchServer(dataDir: string, env: Record<string, string> = {}): Promise<{ server: ChildProcess; base: string }> {
  const port = await freePort();
  const server = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DOSSIER_DATA_DIR: dataDir, ...env },
  });
  await new Promise<void>((resolve) => server.stdout!.on('data', (c: Buffer) => { if (c.toString().includes('Dossier is running')) resolve(); }));
  return { server, base: `http://127.0.0.1:${port}` };
}

export async function benchSession(base: string, email = 'bench@example.com', password = 'benchmark password'): Promise<{ token: string; cookie: string }> {
  const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const { token } = (await login.json()) as { token: string };
  return { token, cookie: login.headers.getSetCookie()[0]!.split(';')[0]! };
}
