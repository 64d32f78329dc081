// /healthz as a monitor sees it, on a server of its own whose (external) Meilisearch is then
// stopped: 200 while everything answers, 503 with the same JSON report once search is down, and
// 200 again once it is back, with what was saved meanwhile indexed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedMeili, type MeiliServer } from '../../src/server/meili/process.ts';
import { bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';
import { api, signIn, until } from './http.ts';

const meiliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-healthz-meili-'));
let meili: MeiliServer;
const dataDir = bareDataDir();
let server: RunningServer;
beforeAll(async () => {
  meili = await startEmbeddedMeili(meiliDir);
  server = await startServer({ dataDir, port: await freePort(), env: { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey } });
}, 180_000); // a second server on a busy machine
afterAll(async () => {
  if (server) await stopServer(server);
  await meili?.stop();
  for (const dir of [meiliDir, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('GET /healthz', () => {
  it('answers 200 while the database and search answer', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'ok', search: 'ok' });
  });

  it('answers 503 with its report while search is down', async () => {
    await meili.stop();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'degraded', db: 'ok', search: 'down', searchRestarts: 0, outboxPending: expect.any(Number) });
  });

  it('answers 200 again once it is back, and what was saved meanwhile is searchable', async () => {
    const at = server.url;
    const { token } = await signIn(undefined, at);
    const saved = await api('/api/v1/pages/scratch/while-away', { method: 'PUT', auth: token, at, json: { title: 'Echidna notes', markdown: 'Saved while search was away.' } });
    expect(saved.status).toBe(201);
    meili = await startEmbeddedMeili(meiliDir, Number(new URL(meili.url).port));
    const back = await until('/healthz to answer 200', async () => { const res = await fetch(`${at}/healthz`); return res.status === 200 && res.json(); });
    expect(back).toEqual({ status: 'ok', db: 'ok', search: 'ok', searchRestarts: 0, outboxPending: expect.any(Number) });
    await until('the page saved meanwhile to be searchable', async () => {
      const res = await api('/api/v1/search?q=echidna', { auth: token, at });
      return res.ok && ((await res.json()) as { hits: { title: string }[] }).hits.some((h) => h.title === 'Echidna notes');
    }, 30_000); // indexing one page takes 0.2–12 s on this shared machine
  }, 60_000);
});
