// npm run bench:export: space exports through the built server (npm start's script), on the demo
// data or on a kept `npm run bench` import (BENCH_DATA=<folder>: the corpus, thousands of pages).
// 1. Each space exported in turn: time, zip size, MB/s, and the server's peak RSS (sampled every 20 ms).
// 2. Page views (one client, one after another) alone, then while the largest space is exported
//    over and over: p50/p99 of each, since an export must not hold the event loop.
// 3. A client that reads the largest export's first bytes and then stops reading for 3 s: how much
//    the server's RSS grows meanwhile (the export waits for the socket rather than buffering).
// Prints figures; asserts nothing.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const log = (m: string) => console.log(m);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };

ensureBuilt(log);
const kept = process.env.BENCH_DATA;
const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-export-'));
const { server, base } = await startBenchServer(dataDir, { DOSSIER_ADMIN_EMAIL: 'bench@example.com', DOSSIER_ADMIN_PASSWORD: 'benchmark password' });
const pid = server.pid!;
const { token, cookie } = await benchSession(base);
const auth = { authorization: `Bearer ${token}` };

let peak = 0;
const sampler = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 20);

/** Downloads one export to nothing; its size and time. */
async function exportOnce(space: string): Promise<{ bytes: number; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/exports/${space}`, { headers: auth });
  if (res.status !== 200) throw new Error(`${space}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body!) bytes += (chunk as Uint8Array).byteLength;
  return { bytes, ms: performance.now() - t0 };
}

const keys = (await (await fetch(`${base}/api/v1/spaces`, { headers: auth })).json()) as { key: string }[];
const spaces = await Promise.all(keys.map(async ({ key }) => (await (await fetch(`${base}/api/v1/spaces/${key}`, { headers: auth })).json()) as { key: string; pageCount: number }));
log(`== Exports, one at a time (${kept ? `kept import ${kept}` : 'demo data'}); server RSS ${rssMb(pid).toFixed(0)} MB before`);
const sizes: { key: string; pages: number; bytes: number; ms: number }[] = [];
for (const s of spaces) {
  peak = 0;
  const before = rssMb(pid);
  const r = await exportOnce(s.key);
  sizes.push({ key: s.key, pages: s.pageCount, ...r });
  log(`  ${s.key.padEnd(14)} ${String(s.pageCount).padStart(6)} pages  ${(r.bytes / 2 ** 20).toFixed(2).padStart(7)} MB  ${r.ms.toFixed(0).padStart(6)} ms  ${(r.bytes / 2 ** 20 / (r.ms / 1000)).toFixed(1).padStart(6)} MB/s  RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MB`);
}
const largest = sizes.reduce((a, b) => (b.pages > a.pages ? b : a));

// 2. Page views alone, then beside exports of the largest space.
const pagePath = (await (await fetch(`${base}/api/v1/search?q=the&limit=1`, { headers: auth })).json() as { hits: { href: string }[] }).hits[0]?.href ?? '/';
const views = async (ms: number) => {
  const lat: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    await (await fetch(`${base}${pagePath}`, { headers: { cookie } })).arrayBuffer();
    lat.push(performance.now() - t0);
  }
  return lat;
};
const alone = await views(3000);
let exporting = true;
const exports = (async () => { let n = 0; while (exporting) { await exportOnce(largest.key); n++; } return n; })();
const beside = await views(6000);
exporting = false;
const exportsDone = await exports;
log(`\n== Page views (${pagePath}), one client: alone p50 ${pct(alone, 50).toFixed(1)} ms p99 ${pct(alone, 99).toFixed(1)} ms; `
  + `while "${largest.key}" (${largest.pages} pages) was exported ${exportsDone} times: p50 ${pct(beside, 50).toFixed(1)} ms p99 ${pct(beside, 99).toFixed(1)} ms`);

// 3. A reader that stops reading.
const before = rssMb(pid);
peak = 0;
await new Promise<void>((resolve, reject) => {
  const req = http.get(`${base}/api/v1/exports/${largest.key}`, { headers: auth }, (res) => {
    let got = 0;
    res.once('data', (c: Buffer) => {
      got += c.length;
      res.pause();
      setTimeout(() => { res.destroy(); resolve(); }, 3000);
    });
    res.on('error', () => {});
    void got;
  });
  req.on('error', reject);
});
log(`\n== A client that stops reading "${largest.key}" (${(largest.bytes / 2 ** 20).toFixed(1)} MB) after its first bytes: server RSS ${before.toFixed(0)} MB → peak ${peak.toFixed(0)} MB over 3 s`);

clearInterval(sampler);
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
if (!kept) fs.rmSync(dataDir, { recursive: true, force: true });
