// The embedded Meilisearch dies with the process that started it, even when that process is
// killed with SIGKILL and cleans nothing up (a crashed server, a test run stopped with kill -9).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-orphan-meili-'));
const processTs = path.resolve(import.meta.dirname, '../../src/server/meili/process.ts');
let meiliPid = 0;

const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); // a zombie is dead
  } catch {
    return false;
  }
};

afterAll(() => {
  if (meiliPid && alive(meiliPid)) process.kill(meiliPid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

it('is killed when its parent is killed with SIGKILL', async () => {
  const parent = spawn(process.execPath, ['--input-type=module', '-e',
    `const { startEmbeddedMeili } = await import(${JSON.stringify(processTs)});
     console.log((await startEmbeddedMeili(${JSON.stringify(dir)})).pid);
     setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
  meiliPid = await new Promise<number>((resolve, reject) => {
    parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    parent.once('exit', (code) => reject(new Error(`the parent exited with ${code}`)));
  });
  expect(alive(meiliPid)).toBe(true);
  parent.kill('SIGKILL');
  const deadline = Date.now() + 10_000;
  while (alive(meiliPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(alive(meiliPid)).toBe(false);
});
