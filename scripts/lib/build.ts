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

export function ensureBuilt(log: (m: string) => void = console.log): void {
  const sources = ['src', 'db', 'astro.config.mjs', 'package-lock.json'].map((p) => path.join(root, p)).filter(fs.existsSync);
  if (fs.existsSync(serverEntry) && fs.statSync(serverEntry).mtimeMs >= Math.max(...sources.map(newest))) return;
  log('Building the server (first start or sources changed)…');
  execFileSync(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--silent'], { cwd: root, stdio: 'inherit', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  fs.utimesSync(serverEntry, new Date(), new Date());
}
