// Builds the Astro server when dist/ is missing or older than the sources.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');
export const serverEntry = path.join(root, 'dist/server/entry.mjs');

function newest(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((n) => newest(path.join(p, n))));
}

function upToDate(): boolean {
  const sources = ['src', 'db', 'astro.config.mjs', 'package-lock.json'].map((p) => path.join(root, p)).filter(fs.existsSync);
  return fs.existsSync(serverEntry) && fs.statSync(serverEntry).mtimeMs >= Math.max(...sources.map(newest));
}

const LOCK = path.join(root, '.build.lock');
const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Two starts at once (a test run beside a running server) must not build into dist/ together. */
function withBuildLock(fn: () => void): void {
  for (;;) {
    try {
      fs.closeSync(fs.openSync(LOCK, 'wx'));
      break;
    } catch {
      // A lock left by a killed build is stale after 10 minutes.
      try { if (Date.now() - fs.statSync(LOCK).mtimeMs > 600_000) fs.rmSync(LOCK, { force: true }); } catch { /* just released */ }
      sleep(500);
    }
  }
  try { fn(); } finally { fs.rmSync(LOCK, { force: true }); }
}

export function ensureBuilt(log: (m: string) => void = console.log): void {
  if (upToDate()) return;
  withBuildLock(() => {
    if (upToDate()) return; // built by whoever held the lock
    log('Building the server (first start or sources changed)…');
    // Stamp the build with its start: a source edited while it runs still counts as newer.
    const started = new Date();
    execFileSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--silent'], { cwd: root, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
    fs.utimesSync(serverEntry, started, started);
  });
}
