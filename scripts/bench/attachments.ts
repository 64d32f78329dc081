// npm run bench:attachments: attachments through the built server (npm start's script) on a fresh
// data folder.
// 1. Uploads: 10 clients at once each stream a file to POST /api/v1/attachments/…, first 2 MB
//    files, then 20 MB files; throughput, and the server's RSS sampled every 20 ms (its peak
//    must not grow with the file size: bodies stream to disk).
// 2. Downloads: req/s and latency for a 200 kB image at its file URL (permission check, display
//    copy, send) beside a bare node:http server answering with `send` for the same file on disk.
// Prints figures; asserts nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { createUser } from '../../src/server/auth/users.ts';
import { closeDb, write } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { freePort } from '../../src/server/meili/process.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { ensureBuilt, root } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const MB = 1024 * 1024;
const CLIENTS = 10;
const log = (m: string) => console.log(m);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-att-'));
process.env.DOSSIER_DATA_DIR = dataDir;
migrateDatabase();
await createUser({ email: 'bench@example.com', name: 'Bench', password: 'benchmark password', admin: true });
write((tx) => upsertSpace(tx, { key: 'bench', name: 'Bench' })); // a space: the server skips the demo import
closeDb();

const { server, base } = await startBenchServer(dataDir, { DOSSIER_MAX_UPLOAD_MB: '25' });
const { token } = await benchSession(base);
const auth = { authorization: `Bearer ${token}` };
await fetch(`${base}/api/v1/pages/bench/files`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Files', markdown: 'Bench.' }) });
const uploadUrl = `${base}/api/v1/attachments/bench/files`;

/** Streams a `size`-byte file (distinct bytes per client) as multipart; resolves with the answer. */
function streamUpload(size: number, seed: string): Promise<{ status: number; body: string }> {
  const boundary = `----bench${seed}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${seed}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const block = crypto.randomBytes(MB);
  return new Promise((resolve, reject) => {
    const req = http.request(uploadUrl, { method: 'POST', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length) } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    void (async () => {
      req.write(head);
      req.write(seed); // makes each file's bytes (and hash) its own
      for (let sent = seed.length; sent < size; sent += MB) {
        if (!req.write(block.subarray(0, Math.min(MB, size - sent)))) await new Promise((r) => req.once('drain', r));
      }
      req.end(tail);
    })();
  });
}

async function uploadRound(size: number): Promise<void> {
  const before = rssMb(server.pid!);
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(server.pid!)); }, 20);
  const started = performance.now();
  const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => streamUpload(size, `${size}-${i}-${Date.now()}`)));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const ok = answers.filter((a) => a.status === 201).length;
  log(`${CLIENTS} × ${(size / MB).toFixed(0).padStart(2)} MB at once: ${ok}/${CLIENTS} stored in ${seconds.toFixed(2)} s, ${((CLIENTS * size) / MB / seconds).toFixed(0)} MB/s; server RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB)`);
}

log(`\n== Uploads (${CLIENTS} clients at once, server RSS sampled every 20 ms)`);
await uploadRound(2 * MB); // warm-up: the first uploads load the upload path's modules
await uploadRound(2 * MB);
await uploadRound(20 * MB);
await uploadRound(2 * MB);
await uploadRound(20 * MB);

// 2. Downloads: a 200 kB PNG (noise compresses badly), shown as its display copy.
const image = await sharp({ create: { width: 300, height: 220, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png().toBuffer();
const boundary = '----benchimage';
const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\n\r\n`), image, Buffer.from(`\r\n--${boundary}--\r\n`)]);
const stored = (await (await fetch(uploadUrl, { method: 'POST', headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` }, body })).json()) as { url: string; sha256: string };
const first = await fetch(`${base}${stored.url}`, { headers: auth });
const served = Buffer.from(await first.arrayBuffer());
const displayFile = path.join(dataDir, 'files', 'display', stored.sha256);
log(`\n== Downloads of a ${(image.length / 1024).toFixed(0)} kB PNG (display copy ${(served.length / 1024).toFixed(0)} kB), 10 connections, 10 s each`);

// The bare `send` server runs in its own process, as ours does, so neither shares autocannon's CPU.
const sendPort = await freePort();
const bare: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', `
  import http from 'node:http';
  import send from 'send';
  http.createServer((req, res) => send(req, ${JSON.stringify(displayFile)}).pipe(res)).listen(${sendPort}, '127.0.0.1', () => console.log('ready'));
`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => bare.stdout!.on('data', () => resolve()));

const cannon = (url: string, headers: Record<string, string> = {}) => autocannon({ url, connections: 10, duration: 10, headers });
for (let trial = 1; trial <= 2; trial++) {
  const ours = await cannon(`${base}${stored.url}`, auth);
  const plain = await cannon(`http://127.0.0.1:${sendPort}/photo.png`);
  const line = (name: string, r: autocannon.Result) => `${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.non2xx} non-2xx`;
  log(`trial ${trial}  ${line('Dossier /files/…', ours)}  |  ${line('bare send', plain)}  |  ratio ${(ours.requests.average / plain.requests.average).toFixed(2)}`);
}
log(`server RSS after all: ${rssMb(server.pid!).toFixed(0)} MB`);

bare.kill('SIGTERM');
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
