// A hung Meilisearch (the real process, stopped with SIGSTOP) makes a search answer 503 within
// 2 s, and search answers again once it runs. Uses a Meilisearch of its own, not the shared one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { startEmbeddedMeili, type MeiliServer } from '../../src/server/meili/process.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { publishMeili } from '../../src/server/search/client.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { ensureIndex } from '../../src/server/search/settings.ts';
import { freshEnvironment } from './setup-env.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-hung-meili-'));
let server: MeiliServer;
let pid = 0;
let admin: Viewer;

/** The process whose command line names this data folder: the Meilisearch we started. */
function childPid(): number {
  const dbPath = path.join(dir, 'data.ms');
  for (const p of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      if (fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(dbPath)) return Number(p);
    } catch { /* gone, or not ours */ }
  }
  throw new Error(`no process with --db-path ${dbPath}`);
}

beforeAll(async () => {
  ({ admin } = await freshEnvironment('hung'));
  server = await startEmbeddedMeili(dir);
  pid = childPid();
  publishMeili(server.url, server.apiKey);
  await ensureIndex();
  await savePage(admin, { space: 'eng', path: 'vpn', title: 'Connecting to the VPN', markdown: 'Install WireGuard.' });
  await drainOutbox();
}, 60_000);

afterAll(async () => {
  if (pid) process.kill(pid, 'SIGCONT');
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 within 2 s while Meilisearch is stopped, and finds again once it runs', async () => {
  expect((await search(admin, { q: 'wireguard' })).hits.map((h) => h.path)).toEqual(['vpn']);
  process.kill(pid, 'SIGSTOP');
  const t0 = performance.now();
  await expect(search(admin, { q: 'wireguard' })).rejects.toMatchObject({ status: 503, message: 'Search is not available right now (Meilisearch did not answer within 1000 ms)' });
  expect(performance.now() - t0).toBeLessThan(2_000);
  process.kill(pid, 'SIGCONT');
  expect((await search(admin, { q: 'wireguard' })).hits.map((h) => h.path)).toEqual(['vpn']);
}, 30_000);
