// npm start's memory settings (scripts/lib/memory-settings.ts) are in force in the process itself
// (same pid, started again in place) and its report (src/server/memory-report.ts) sees every worker.
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { expect, test } from 'vitest';

const settings = path.resolve(import.meta.dirname, '../../scripts/lib/memory-settings.ts');
const report = path.resolve(import.meta.dirname, '../../src/server/memory-report.ts');

test('the process runs again in place with 16 MB semi-spaces, a 1.5 GB heap cap, no pretenuring and two malloc arenas; a setting given is kept', { timeout: 30_000 }, async () => {
  const probe = `await import(${JSON.stringify(settings)});
    const v8 = await import('node:v8');
    let keep = []; for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 2e5) keep = []; }
    const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    const cap = v8.getHeapStatistics().heap_size_limit;
    console.log(JSON.stringify({ pid: process.pid, young, cap, arenas: process.env.MALLOC_ARENA_MAX, argv: process.execArgv }));`;
  const run = (env: Record<string, string>, flags: string[] = []) => new Promise<{ spawned: number; out: { pid: number; young: number; cap: number; arenas: string; argv: string[] } }>((resolve) => {
    const child = spawn(process.execPath, [...flags, '--input-type=module', '-e', probe], { env: { ...process.env, DOSSIER_MEMORY_SETTINGS: '', ...env } });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c));
    child.on('exit', () => resolve({ spawned: child.pid!, out: JSON.parse(text) }));
  });
  const { spawned, out } = await run({});
  expect(out.pid).toBe(spawned);
  expect(out.argv).toEqual(expect.arrayContaining(['--max-semi-space-size=16', '--max-old-space-size=1536', '--no-allocation-site-pretenuring']));
  expect(out.young).toBeLessThanOrEqual(32 * 2 ** 20);
  // The cap counts the old generation and the young one (1,536 + 48 MB here); the default is 4 GB on 24 GB.
  expect(out.cap).toBeGreaterThanOrEqual(1536 * 2 ** 20);
  expect(out.cap).toBeLessThan(1800 * 2 ** 20);
  expect(out.arenas).toBe('2');

  // V8 refuses pretenuring flags in NODE_OPTIONS: that one is given on the command line.
  const given = await run({ MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-semi-space-size=4 --max-old-space-size=2500' }, ['--allocation_site_pretenuring']);
  expect(given.out.argv.filter((a) => /semi-space|old-space|pretenuring/.test(a))).toEqual(['--allocation_site_pretenuring']);
  // 4 MB semi-spaces give 8 MB of young generation, ours would give 32; V8 sometimes reports a
  // few pages more for a moment (18.25 MB seen once in CI with 8 MB ones), so the line is drawn between the two.
  expect(given.out.young).toBeLessThanOrEqual(20 * 2 ** 20);
  expect(given.out.cap).toBeGreaterThanOrEqual(2500 * 2 ** 20);
  expect(given.out.arenas).toBe('4');
});

test("the memory report counts each worker's heap and adds up to the RSS", { timeout: 30_000 }, () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `
    const { Worker } = await import('node:worker_threads');
    const { memoryReport } = await import(${JSON.stringify(report)});
    const w = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((r) => w.once('online', r));
    console.log(JSON.stringify(memoryReport()));
    process.exit(0);`], { encoding: 'utf8' });
  const r = JSON.parse(out) as { rss: number; anonymous: number; fileBacked: number; mainHeap: number; workers: number[]; nativeAndFree: number };
  expect(r.workers).toHaveLength(1);
  expect(r.workers[0]).toBeGreaterThan(0);
  expect(r.mainHeap).toBeGreaterThan(0);
  expect(r.fileBacked + r.anonymous).toBe(r.rss);
  expect(r.mainHeap + r.workers[0]! + r.nativeAndFree).toBe(r.anonymous);
});
