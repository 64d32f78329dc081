// What webhooks cost a requirement save: the same edit on a project with no webhooks and on one
// with three — a fast receiver, a slow one (answers after 10 s) and a dead one (connection
// refused) — with the delivery loop running throughout, as in the server. Prints p50/p99 side by
// side and the ratio.
//   node scripts/bench/requirement-save.ts [--saves 300] [--http]
// Default: the domain call behind PATCH /api/v1/requirements/<KEY>, in this process.
// --http: PATCH /api/v1/requirements/<KEY> through the built server (npm start's script) on a
// fresh data folder. The receivers run in a child process so their work does not count.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SAVES = arg('saves', 300);
const HTTP = process.argv.includes('--http');
const WARMUP = 30;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-save-'));
process.env.DOSSIER_DATA_DIR = dataDir;
process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';

const { migrateDatabase } = await import('../../src/server/db-migrate.ts');
const { closeDb, db } = await import('../../src/server/db.ts');
const { createUser } = await import('../../src/server/auth/users.ts');
const { createProject } = await import('../../src/server/projects/projects.ts');
const { submitRequirement } = await import('../../src/server/requirements/submit.ts');
const { editRequirement } = await import('../../src/server/requirements/edit.ts');
const { createWebhook } = await import('../../src/server/notify/webhook-settings.ts');
const { startWebhookDelivery } = await import('../../src/server/notify/deliver.ts');

// ---- receivers in a child process: fast (200 at once) and slow (200 after 10 s) ----
const receiverSource = `
const http = require('node:http');
const fast = http.createServer((req, res) => { req.resume(); req.on('end', () => res.end('ok')); });
const slow = http.createServer((req, res) => { req.resume(); req.on('end', () => setTimeout(() => res.end('late'), 10000)); });
fast.listen(0, '127.0.0.1', () => slow.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ fast: fast.address().port, slow: slow.address().port }))));
`;
const receivers = spawn(process.execPath, ['-e', receiverSource], { stdio: ['ignore', 'pipe', 'inherit'] });
const ports = await new Promise<{ fast: number; slow: number }>((resolve, reject) => {
  receivers.stdout!.once('data', (b: Buffer) => resolve(JSON.parse(b.toString())));
  receivers.once('exit', (code) => reject(new Error(`receivers exited with ${code}`)));
});
/** A port nothing listens on: taken and released at once. */
const deadPort = await new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
});

const hooks = (project: string) => [
  { url: `http://127.0.0.1:${ports.fast}/fast`, format: 'json' },
  { url: `http://127.0.0.1:${ports.slow}/slow`, format: 'lark' },
  { url: `http://127.0.0.1:${deadPort}/dead`, format: 'slack' },
].map((h) => ({ project, ...h }));

type Save = (key: string, n: number) => Promise<void>;
interface Setup { save: Save; plain: string; hooked: string; deliveries(): { url: string; status: string; n: number }[]; stop(): Promise<void> }

/** In this process: the domain call, with the delivery loop started here. */
async function domainSetup(): Promise<Setup> {
  migrateDatabase();
  const adminId = await createUser({ email: 'bench@example.com', name: 'Bench', password: 'a long bench password', admin: true });
  const admin = { id: adminId, email: 'bench@example.com', name: 'Bench', admin: true, locale: null };
  createProject(admin, { key: 'NOHOOK', name: 'No webhooks' });
  createProject(admin, { key: 'HOOKS', name: 'Three webhooks' });
  for (const h of hooks('HOOKS')) await createWebhook(admin, h.project, h);
  const plain = await submitRequirement(admin, 'NOHOOK', { title: 'Benchmark requirement', category: 'feature' });
  const hooked = await submitRequirement(admin, 'HOOKS', { title: 'Benchmark requirement', category: 'feature' });
  const delivery = startWebhookDelivery({ log: () => {} });
  return {
    plain: plain.key, hooked: hooked.key,
    async save(key, n) { await editRequirement(admin, key, { title: `Benchmark requirement ${n}`, priority: n % 2 ? 'high' : 'normal' }); },
    deliveries: () => deliveryCounts(db()),
    async stop() { await delivery.stop(); closeDb(); },
  };
}

/** Through HTTP: the built server started as npm start does, on the same fresh data folder. */
async function httpSetup(): Promise<Setup> {
  const { ensureBuilt, root } = await import('../lib/build.ts');
  const { freePort } = await import('../../src/server/meili/process.ts');
  ensureBuilt();
  const port = await freePort();
  const password = 'a long bench password';
  const server = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DOSSIER_ADMIN_EMAIL: 'bench@example.com', DOSSIER_ADMIN_PASSWORD: password },
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (b: Buffer) => { out += b.toString(); if (out.includes('Dossier is running on')) resolve(); });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const session = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password }) });
  const { token } = (await session.json()) as { token: string };
  const call = async (method: string, url: string, body: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await call('POST', '/api/v1/projects', { key: 'NOHOOK', name: 'No webhooks' });
  await call('POST', '/api/v1/projects', { key: 'HOOKS', name: 'Three webhooks' });
  for (const h of hooks('HOOKS')) await call('POST', '/api/v1/projects/HOOKS/webhooks', { url: h.url, format: h.format });
  const plain = await call('POST', '/api/v1/projects/NOHOOK/requirements', { title: 'Benchmark requirement', category: 'feature' });
  const hooked = await call('POST', '/api/v1/projects/HOOKS/requirements', { title: 'Benchmark requirement', category: 'feature' });
  return {
    plain: String(plain.key), hooked: String(hooked.key),
    async save(key, n) { await call('PATCH', `/api/v1/requirements/${key}`, { title: `Benchmark requirement ${n}`, priority: n % 2 ? 'high' : 'normal' }); },
    deliveries: () => deliveryCounts(db()),
    async stop() {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      closeDb();
    },
  };
}

function deliveryCounts(d: ReturnType<typeof db>) {
  return d.$client.prepare<[], { url: string; status: string; n: number }>(
    'select w.url, d.status, count(*) as n from webhook_deliveries d join webhooks w on w.id = d.webhook_id group by w.url, d.status order by w.url, d.status',
  ).all();
}

const setup = HTTP ? await httpSetup() : await domainSetup();

let edits = 0;
async function measure(key: string, count: number, warmup = 0): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const n = ++edits;
    const started = performance.now();
    await setup.save(key, n);
    if (i >= warmup) times.push(performance.now() - started);
    // Between requests a server's event loop runs everything else, deliveries included: so here.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return times;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
function stats(times: number[]) {
  const s = [...times].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), mean: s.reduce((a, b) => a + b, 0) / s.length, max: s.at(-1)! };
}

// Alternate the two in rounds so a slow patch of the machine hits both alike.
const without: number[] = [];
const withHooks: number[] = [];
const rounds = 3;
for (let r = 0; r < rounds; r++) {
  const warmup = r === 0 ? WARMUP : 0;
  without.push(...(await measure(setup.plain, Math.ceil(SAVES / rounds), warmup)));
  withHooks.push(...(await measure(setup.hooked, Math.ceil(SAVES / rounds), warmup)));
}
const a = stats(without);
const b = stats(withHooks);
const f = (n: number) => `${n.toFixed(2)} ms`.padStart(10);
console.log(`requirement save (${HTTP ? 'PATCH /api/v1/requirements/<KEY> through the server' : 'editRequirement, the domain call'}: title + priority), ${without.length} saves each, ${os.cpus().length} cores`);
console.log(`${''.padEnd(22)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}${'max'.padStart(10)}`);
console.log(`${'0 webhooks'.padEnd(22)}${f(a.p50)}${f(a.p99)}${f(a.mean)}${f(a.max)}`);
console.log(`${'3 (fast, slow, dead)'.padEnd(22)}${f(b.p50)}${f(b.p99)}${f(b.mean)}${f(b.max)}`);
console.log(`ratio with/without: p50 ×${(b.p50 / a.p50).toFixed(2)}, p99 ×${(b.p99 / a.p99).toFixed(2)}`);

await new Promise((resolve) => setTimeout(resolve, 3000));
console.log('deliveries 3 s after the last save (the slow and dead ones keep retrying; 2 in flight per webhook):');
for (const c of setup.deliveries()) console.log(`  ${new URL(c.url).pathname.padEnd(6)} ${c.status.padEnd(10)} ${c.n}`);

await setup.stop();
receivers.kill();
fs.rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
