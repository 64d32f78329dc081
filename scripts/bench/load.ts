// Load on the built server with the demo content (npm start's script, fresh data folder).
//   node scripts/bench/load.ts hostile   (npm run bench:hostile)
//     Hostile saves: 100,000 requirement keys, 100,000 emphasis markers, 100,000 unclosed links,
//     50,000 nested brackets, and two normal saves beside the emphasis one (by the same user and
//     by another). Prints each save's time, /healthz latency meanwhile (probed every 50 ms), and
//     the server's RSS: baseline, peak, and after 20 s idle (a stopped worker's heap goes back to
//     the system some seconds later), with its memory breakdown before and after.
//   node scripts/bench/load.ts mixed     (npm run bench:mixed)
//     10 searchers alone for 10 s (the idle figure), then 50 readers, 10 searchers and 5 writers
//     at once for 30 s: each group's req/s and p50/p99, and the server's RSS before and after.
// Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../../src/server/meili/process.ts';
import { ensureBuilt, root } from '../lib/build.ts';

const part = process.argv[2];
if (part !== 'hostile' && part !== 'mixed' && part !== 'group') throw new Error('usage: node scripts/bench/load.ts hostile|mixed');
const log = (m: string) => console.log(m);
const ms = (n: number) => `${n.toFixed(0)} ms`;
const mb = (n: number) => `${n.toFixed(0)} MB`;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0; };

const PAGES = ['/s/guide', '/s/guide/searching', '/s/guide/writing-pages', '/s/it/laptop', '/s/policies/attendance-leave', '/s/atlas/plan'];
const QUERIES = ['leave', 'password', 'laptop', 'search', 'requirement', '请假', '密码', 'security', 'vpn', 'plan'];

// A child of the mixed run: one group of clients, its result as JSON on stdout.
if (part === 'group') {
  const [name, duration, url, bearer, session] = process.argv.slice(3);
  process.stdout.write(JSON.stringify(await group(name as 'readers', Number(duration), url!, bearer!, session!)));
  process.exit(0);
}

ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-load-'));
const port = await freePort();
const server = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], {
  cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DOSSIER_DATA_DIR: dataDir, DOSSIER_ADMIN_EMAIL: 'bench@example.com', DOSSIER_ADMIN_PASSWORD: 'benchmark password' },
});
await new Promise<void>((resolve) => server.stdout!.on('data', (c: Buffer) => { if (c.toString().includes('Dossier is running')) resolve(); }));
const pid = server.pid!;
/** The server's own breakdown of its memory (src/server/memory-report.ts), asked with SIGUSR2. */
const memoryLine = () => new Promise<string>((resolve) => {
  const onData = (c: Buffer) => {
    const line = /memory \(MB\).*/.exec(c.toString())?.[0];
    if (line) { server.stdout!.off('data', onData); resolve(line); }
  };
  server.stdout!.on('data', onData);
  server.kill('SIGUSR2');
});
const base = `http://127.0.0.1:${port}`;
const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench@example.com', password: 'benchmark password' }) });
const { token } = (await login.json()) as { token: string };
const auth = { authorization: `Bearer ${token}` };
const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;

async function save(pagePath: string, markdown: string, as = auth): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/pages/guide/${pagePath}`, { method: 'PUT', headers: { ...as, 'content-type': 'application/json' }, body: JSON.stringify({ markdown }) });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

try {
  // Warm: both render workers loaded, the demo indexed, a few pages and searches served.
  await Promise.all([save('bench-warm-1', '# Warm\n\nOne.'), save('bench-warm-2', '# Warm\n\nTwo.')]);
  for (let i = 0; i < 20; i++) await fetch(`${base}/api/v1/search?q=leave`, { headers: auth }).then((r) => r.arrayBuffer());
  await sleep(10_000);
  if (part === 'hostile') await hostile();
  else await mixed();
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** A second editor of the guide space: the render pool keeps one person's renders in line, not two people's. */
async function secondEditor(): Promise<{ authorization: string }> {
  const json = { ...auth, 'content-type': 'application/json' };
  const email = 'second@example.com';
  const password = 'second benchmark password';
  // A step that fails stops the bench, rather than reporting that user's saves as refused.
  const ok = async (res: Promise<Response>) => {
    const r = await res;
    if (!r.ok) throw new Error(`setting up the second editor: ${r.url} answered ${r.status} ${await r.text()}`);
    return r;
  };
  await ok(fetch(`${base}/api/v1/users`, { method: 'POST', headers: json, body: JSON.stringify({ email, name: 'Second', password }) }));
  const grants = (await (await ok(fetch(`${base}/api/v1/spaces/guide/grants`, { headers: auth }))).json()) as unknown[];
  await ok(fetch(`${base}/api/v1/spaces/guide/grants`, { method: 'PUT', headers: json, body: JSON.stringify([...grants, { user: email, role: 'editor' }]) }));
  const res = await ok(fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }));
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}

async function hostile(): Promise<void> {
  const second = await secondEditor();
  const memoryBefore = await memoryLine();
  const baseline = rssMb(pid);
  let peak = baseline;
  const health: number[] = [];
  let probing = true;
  const prober = (async () => {
    while (probing) {
      const t0 = performance.now();
      await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
      health.push(performance.now() - t0);
      peak = Math.max(peak, rssMb(pid));
      await sleep(50);
    }
  })();
  const keys = Array.from({ length: 100_000 }, (_, i) => `ATL-${i + 1}`).join(' ');
  log(`\n== Hostile saves (server RSS baseline ${mb(baseline)}; this machine is shared, figures vary between runs)`);
  const report = (name: string, r: { status: number; ms: number; body: string }) =>
    log(`  ${name.padEnd(32)} ${String(r.status).padEnd(4)} ${ms(r.ms).padStart(8)}  ${r.status >= 400 ? JSON.parse(r.body).error : ''}`);
  report('100,000 requirement keys', await save('bench-keys', keys));
  const normalPage = '# Normal\n\nA normal page beside a hostile one, with [[Links]] and ATL-1.';
  const [emphasis, own, other] = await Promise.all([
    save('bench-emphasis', '*a '.repeat(100_000)),
    sleep(200).then(() => save('bench-normal', normalPage)),
    sleep(200).then(() => save('bench-normal-2', normalPage, second)),
  ]);
  report('100,000 emphasis markers', emphasis);
  // One person's renders run one at a time (render-pool.ts, perOwner): theirs waits, anyone else's does not.
  report('  the same user\'s normal save', own);
  report('  another user\'s normal save', other);
  report('100,000 unclosed links', await save('bench-unclosed', '[a '.repeat(100_000)));
  report('50,000 nested brackets', await save('bench-nested', '['.repeat(50_000) + 'x' + ']'.repeat(50_000)));
  probing = false;
  await prober;
  log(`  /healthz meanwhile: ${health.length} probes, p50 ${ms(pct(health, 50))}, p99 ${ms(pct(health, 99))}, max ${ms(Math.max(...health))}`);
  for (const [waited, more] of [[5, 5], [10, 5], [20, 10]] as const) {
    await sleep(more * 1000);
    log(`  RSS ${waited} s after: ${mb(rssMb(pid))}`);
  }
  const after = rssMb(pid);
  log(`  RSS baseline ${mb(baseline)}, peak ${mb(peak)}, after ${mb(after)} (${((after / baseline - 1) * 100).toFixed(0)} % over baseline) [target ≤ 20 %]`);
  log(`  before: ${memoryBefore}\n  after:  ${await memoryLine()}`);
}


/** One group of clients; each runs in its own process (in one, the readers starved the others' client). */
function group(name: 'readers' | 'searchers' | 'writers', duration: number, base: string, token: string, cookie: string): Promise<autocannon.Result> {
  const auth = { authorization: `Bearer ${token}` };
  if (name === 'readers') return autocannon({ url: base, connections: 50, duration, headers: { cookie }, requests: PAGES.map((p) => ({ method: 'GET', path: p })) });
  if (name === 'searchers') return autocannon({ url: base, connections: 10, duration, headers: auth, requests: QUERIES.map((q) => ({ method: 'GET', path: `/api/v1/search?q=${encodeURIComponent(q)}` })) });
  let n = 0;
  return autocannon({
    url: base, connections: 5, duration, headers: { ...auth, 'content-type': 'application/json' },
    requests: [{
      method: 'PUT',
      setupRequest: (req) => {
        const page = n % 20;
        const body = JSON.stringify({ markdown: `# Bench ${page}\n\nEdit ${n++}: see [[Searching]] and ATL-1.\n\n- one\n- two *three*\n` });
        return { ...req, path: `/api/v1/pages/guide/bench-write-${page}`, body };
      },
    }],
  });
}
async function mixed(): Promise<void> {
  const run = (name: string, duration: number) => new Promise<autocannon.Result>((resolve, reject) => {
    const child = spawn(process.execPath, [import.meta.filename, 'group', name, String(duration), base, token, cookie], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as autocannon.Result) : reject(new Error(`${name} exited with ${code}`))));
  });
  const line = (name: string, r: autocannon.Result) =>
    log(`  ${name.padEnd(10)} ${r.requests.average.toFixed(0).padStart(5)} req/s  p50 ${ms(r.latency.p50).padStart(7)}  p99 ${ms(r.latency.p99).padStart(7)}  non-2xx ${r.non2xx}  errors ${r.errors} (timeouts ${r.timeouts})`);

  log(`\n== Mixed load on the demo data (this machine is shared, figures vary between runs)`);
  const idle = await run('searchers', 10);
  line('searchers alone', idle);
  const before = rssMb(pid);
  const memoryBefore = await memoryLine();
  // BENCH_GROUPS=searchers,writers (say) leaves the others out, to see which one slows searches.
  const groups = (process.env.BENCH_GROUPS ?? 'readers,searchers,writers').split(',') as ('readers' | 'searchers' | 'writers')[];
  const results = await Promise.all(groups.map((g) => run(g, 30)));
  const after = rssMb(pid);
  const memoryAfter = await memoryLine();
  log(`  ${groups.join(', ')} at once for 30 s (50 readers, 10 searchers, 5 writers):`);
  groups.forEach((g, i) => line(g, results[i]!));
  const s = results[groups.indexOf('searchers')];
  if (s) log(`  searches under load: p50 ${(s.latency.p50 / Math.max(idle.latency.p50, 1)).toFixed(1)}× the idle p50 [target ≤ 3×]`);
  log(`  server RSS before ${mb(before)}, after ${mb(after)} [target < 400 MB]`);
  log(`  before: ${memoryBefore}\n  after:  ${memoryAfter}`);
}
