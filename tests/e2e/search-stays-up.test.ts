// Search stays up (issue 13, part 8), against a server of its own with its embedded Meilisearch,
// the real process, found among the server's children: killed (SIGKILL), it is restarted and
// /healthz says so meanwhile; stopped (SIGSTOP), searches answer 503 within 2 s and it recovers
// on SIGCONT without a restart; left stopped, it is killed after 10 s and restarted. Throughout,
// page views and saves answer promptly, and every page saved meanwhile is searchable after.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/meili/process.ts';
import { bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';
import { api, signIn, until } from './http.ts';

const dataDir = bareDataDir();
let server: RunningServer;
let at = '';
let token = '';
let cookie = '';

/** The Meilisearch the server started: its child process named meilisearch (not a dying one). */
function meiliPid(): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const [, name, state, ppid] = /^\d+ \((.*)\) (\S) (\d+)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) ?? [];
      if (name === 'meilisearch' && state !== 'Z' && Number(ppid) === server.child.pid) return Number(pid);
    } catch { /* gone meanwhile */ }
  }
  return undefined;
}

interface Health { status: string; search: string; searchRestarts: number; outboxPending: number }
const health = async () => {
  const res = await api('/healthz', { at });
  return { code: res.status, ...((await res.json()) as Health) };
};

/** Saves a page and returns how long the save took. */
async function save(path: string, title: string): Promise<number> {
  const t0 = performance.now();
  const res = await api(`/api/v1/pages/scratch/${path}`, { method: 'PUT', auth: token, at, json: { title, markdown: `${title}, saved while search was away.` } });
  expect(res.status).toBe(201);
  return performance.now() - t0;
}

const viewOk = async () => (await api('/s/scratch/before', { auth: token, at })).status === 200;
// Indexing one page takes Meilisearch 0.2–12 s on this shared 2-core machine, depending on its load.
const INDEXED_MS = 30_000;
const finds = async (q: string, title: string) => {
  const res = await api(`/api/v1/search?q=${encodeURIComponent(q)}`, { auth: token, at });
  return res.ok && ((await res.json()) as { hits: { title: string }[] }).hits.some((h) => h.title === title);
};

beforeAll(async () => {
  // No MEILI_URL: the server starts and supervises its own Meilisearch.
  server = await startServer({ dataDir, port: await freePort(), env: { MEILI_URL: undefined, MEILI_MASTER_KEY: undefined } });
  at = server.url;
  ({ token, cookie } = await signIn(undefined, at));
  await save('before', 'Quokka handbook');
  await until('the first page to be searchable', () => finds('quokka', 'Quokka handbook'), INDEXED_MS);
}, 180_000);

afterAll(async () => {
  const pid = server && meiliPid();
  if (pid) process.kill(pid, 'SIGCONT'); // were a test to fail while it is stopped
  if (server) await stopServer(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('search stays up', () => {
  it('restarts a killed Meilisearch, reports it meanwhile, and indexes what was saved while it was down', async () => {
    expect(await health()).toMatchObject({ code: 200, status: 'ok', search: 'ok', searchRestarts: 0 });
    const pid = meiliPid()!;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    const killedAt = Date.now();
    const down = await until('/healthz to report the outage', async () => { const h = await health(); return h.code === 503 && h; }, 5_000);
    const degradedAt = Date.now();
    expect(down).toMatchObject({ status: 'degraded', search: expect.stringMatching(/^(down|restarting)$/) });
    const saveMs = await save('during-kill', 'Wombat runbook');
    expect(saveMs).toBeLessThan(1_000);
    expect(await viewOk()).toBe(true);

    await until('/healthz to be ok after the restart', async () => { const h = await health(); return h.code === 200 && h.searchRestarts === 1; });
    const okAt = Date.now();
    expect(meiliPid()).not.toBe(pid);
    await until('the page saved meanwhile to be searchable', () => finds('wombat', 'Wombat runbook'), INDEXED_MS);
    console.log(`SIGKILL: /healthz 503 after ${degradedAt - killedAt} ms, 200 again after ${okAt - killedAt} ms; a save meanwhile took ${saveMs.toFixed(0)} ms and was searchable ${Date.now() - killedAt} ms after the kill`);
    expect(server.output()).toContain('search: starting Meilisearch again in 500 ms');
  }, 60_000);

  it('answers searches with 503 within 2 s while Meilisearch is stopped, keeps views and saves going, and recovers on SIGCONT without a restart', async () => {
    const pid = meiliPid()!;
    process.kill(pid, 'SIGSTOP');
    try {
      let t0 = performance.now();
      const res = await api('/api/v1/search?q=quokka', { auth: token, at });
      const apiMs = performance.now() - t0;
      expect(apiMs).toBeLessThan(2_000);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({ error: 'Search is not available right now (Meilisearch did not answer within 1000 ms)', retryAfter: 5 });
      expect(res.headers.get('retry-after')).toBe('5');

      t0 = performance.now();
      const page = await api('/search?q=quokka', { headers: { cookie }, at });
      const pageMs = performance.now() - t0;
      expect(pageMs).toBeLessThan(2_000);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(await page.text()).toContain('Search is not available right now. Pages saved meanwhile will be searchable when it is back.');

      // More searches at once than the pool has connections (32), hostile ones among them: each
      // still answers 503 within 2 s, its wait for a connection included.
      const hostile = ['的'.repeat(500), '?!.,;:()[]{}…—', 'v\u200dp\u200dn 密\u200d码', '🔥🚀 vpn', '\u202enpv\u202c wireguard', '"vpn" -wifi AND NOT (printer OR x)'];
      t0 = performance.now();
      const burst = await Promise.all(Array.from({ length: 40 }, async (_, i) => {
        const q = hostile[i % hostile.length]!;
        const r = await api(`/api/v1/search?q=${encodeURIComponent(q)}`, { auth: token, at });
        return { q, status: r.status, body: (await r.json()) as { error?: string; total?: number }, ms: performance.now() - t0 };
      }));
      const burstMs = Math.max(...burst.map((b) => b.ms));
      // Punctuation alone asks Meilisearch nothing: it finds nothing, stopped or not.
      const asked = burst.filter((b) => /[\p{L}\p{N}]/u.test(b.q));
      expect(asked.every((b) => b.status === 503 && b.body.error!.startsWith('Search is not available right now'))).toBe(true);
      expect(burst.filter((b) => !asked.includes(b)).every((b) => b.status === 200 && b.body.total === 0)).toBe(true);
      expect(burstMs).toBeLessThan(2_000);

      const saveMs = await save('during-stop', 'Numbat checklist');
      expect(saveMs).toBeLessThan(1_000);
      expect(await viewOk()).toBe(true);
      console.log(`SIGSTOP: search API 503 in ${apiMs.toFixed(0)} ms, /search page 503 in ${pageMs.toFixed(0)} ms, 40 searches at once all 503 within ${burstMs.toFixed(0)} ms, a save took ${saveMs.toFixed(0)} ms`);
      expect(await until('/healthz to report it hung', async () => { const h = await health(); return h.search === 'hung' && h; }, 5_000))
        .toMatchObject({ code: 503, status: 'degraded', searchRestarts: 1 });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const continuedAt = Date.now();
    await until('/healthz to be ok again', async () => (await health()).code === 200);
    const okMs = Date.now() - continuedAt;
    expect(meiliPid()).toBe(pid);
    expect((await health()).searchRestarts).toBe(1);
    await until('the page saved meanwhile to be searchable', () => finds('numbat', 'Numbat checklist'), INDEXED_MS);
    console.log(`SIGCONT: /healthz 200 after ${okMs} ms, the page saved meanwhile searchable after ${Date.now() - continuedAt} ms`);
  }, 60_000);

  it('kills a Meilisearch that stays stopped after 10 s and starts it again, and indexes what was saved meanwhile', async () => {
    const pid = meiliPid()!;
    process.kill(pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    expect(await save('during-hang', 'Platypus guide')).toBeLessThan(1_000);
    expect(await viewOk()).toBe(true);
    await until('the restart', async () => { const h = await health(); return h.code === 200 && h.searchRestarts === 2; }, 30_000);
    const okMs = Date.now() - stoppedAt;
    expect(okMs).toBeGreaterThanOrEqual(10_000);
    expect(meiliPid()).not.toBe(pid);
    expect(server.output()).toMatch(new RegExp(`Meilisearch \\(pid ${pid}\\) has not answered for \\d+ ms; killing it`));
    // The second restart within a minute of the first waits twice as long.
    expect(server.output()).toContain('search: starting Meilisearch again in 1000 ms');
    await until('the page saved meanwhile to be searchable', () => finds('platypus', 'Platypus guide'), INDEXED_MS);
    console.log(`SIGSTOP for good: /healthz 200 again (after the kill and restart) ${okMs} ms after the stop, the page saved meanwhile searchable after ${Date.now() - stoppedAt} ms`);
    expect(await finds('wombat', 'Wombat runbook')).toBe(true);
    expect(await finds('numbat', 'Numbat checklist')).toBe(true);
  }, 60_000);
});
