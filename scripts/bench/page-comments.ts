// What page comments and watching cost a page view: the same 5 kB page without comments and with
// 20 threads of 3 comments each (mentions, wiki links, requirement keys), viewed by a signed-in
// watcher (watch state, last-seen revision and the comment threads read on every view), beside
// Astro's own 404 page through the same server (the floor any page pays). 50 connections, 10 s
// each, on the built server (npm start's script) with a fresh data folder. Prints figures: req/s
// and latency, and the server process's CPU time per request (from /proc, so that figure holds
// even while other work shares the machine).
//   node scripts/bench/page-comments.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createUser } from '../../src/server/auth/users.ts';
import { closeDb } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { startEmbeddedMeili } from '../../src/server/meili/process.ts';
import { ensureBuilt } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const log = (m: string) => console.log(m);
/** CPU seconds (user + system) the process has used so far. */
const cpuSeconds = (pid: number) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
};
ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-comments-'));
process.env.DOSSIER_DATA_DIR = dataDir;
const meili = await startEmbeddedMeili(path.join(dataDir, 'meili'));
migrateDatabase();
const PASSWORD = 'benchmark password';
await createUser({ email: 'bench@example.com', name: 'Bench', password: PASSWORD, admin: true });
await createUser({ email: 'li.lei@example.com', name: '李雷', password: PASSWORD });
closeDb();

const { server, base } = await startBenchServer(dataDir, { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey });
const { token, cookie } = await benchSession(base, 'bench@example.com', PASSWORD);
const call = async (method: string, url: string, body?: unknown) => {
  const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json() as Promise<{ id: number }>;
};

const text = Array.from({ length: 40 }, (_, i) => `Paragraph ${i}: restart the service, check the [[Runbook]] and PAY-${i} before you page anyone.`).join('\n\n');
await call('POST', '/api/v1/spaces', { key: 'bench', name: 'Bench', kind: 'general', visibility: 'org' });
await call('PUT', '/api/v1/pages/bench/runbook', { title: 'Runbook', markdown: 'The runbook.' });
for (const p of ['plain', 'discussed']) await call('PUT', `/api/v1/pages/bench/${p}`, { title: p, markdown: `# ${p}\n\n${text}` });
for (let i = 0; i < 20; i++) {
  const { id } = (await call('POST', '/api/v1/comments/bench/discussed', { markdown: `Question ${i}: does **step ${i}** still apply? @李雷 see [[Runbook]] and PAY-${i}.` }))!;
  for (let j = 0; j < 2; j++) await call('POST', '/api/v1/comments/bench/discussed', { markdown: `Reply ${j} to ${i}: yes.`, parent: id });
}
for (const p of ['plain', 'discussed']) await call('PUT', `/api/v1/watches/bench/${p}`);

const cannon = (url: string, duration = 10) => autocannon({ url: `${base}${url}`, connections: 50, duration, headers: { cookie } });
const views: [string, string][] = [['page without comments', '/s/bench/plain'], ['page with 60 comments', '/s/bench/discussed'], ['Astro 404 (floor)', '/no-such-route']];
for (const [, url] of views) await cannon(url, 3); // warm up (JIT, caches)
log(`\n== Page views with comments and watching, 50 connections, 10 s each (signed in, watching both pages)`);
for (const [name, url] of views) {
  const cpuBefore = cpuSeconds(server.pid!);
  const r = await cannon(url);
  const cpuMs = ((cpuSeconds(server.pid!) - cpuBefore) * 1000) / r.requests.total;
  const kb = ((await (await fetch(`${base}${url}`, { headers: { cookie } })).text()).length / 1024).toFixed(1);
  log(`  ${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(5)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  CPU ${cpuMs.toFixed(2)} ms/request (${(1000 / cpuMs).toFixed(0)} req/s per core)  ${kb} kB  non-2xx ${r.non2xx}${url.startsWith('/s/') ? '  [target ≥ 1500]' : ''}`);
}
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await meili.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
