// A server killed with SIGKILL while it holds leased outbox work: a search index update (its
// Meilisearch request held by a proxy in this test) and a webhook delivery (its receiver not
// answering). Started again on the same data folder, it must finish both within seconds, not
// after the 60–120 s leases the dead process took.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/meili/process.ts';
import { bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';
import { api, signIn } from './http.ts';

const dataDir = bareDataDir();
const index = `crash_${process.pid}`;
let server: RunningServer | undefined;
let meiliProxy: http.Server;
let receiver: http.Server;
let holdDocuments = false;
let hang = true;
const held: http.ServerResponse[] = [];
let pageSentAt = 0; // when our page's document first reached Meilisearch after the kill
const delivered: string[] = [];
let hung = 0;

const listen = async (s: http.Server) => { await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)); return (s.address() as AddressInfo).port; };

beforeAll(async () => {
  // Passes everything to the test Meilisearch, except the upload of our page's document while
  // holdDocuments is set: that gets no answer, as from a Meilisearch that is stuck.
  const upstream = new URL(process.env.TEST_MEILI_URL!);
  meiliProxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && /^\/indexes\/[^/]+\/documents/.test(req.url ?? '') && body.includes('Zeppelin recovery drill')) {
        if (holdDocuments) { held.push(res); return; }
        pageSentAt ||= Date.now();
      }
      const out = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(body);
    });
  });
  receiver = http.createServer((req, res) => {
    req.resume();
    if (hang) { hung++; return; }
    delivered.push(String(req.headers['x-dossier-delivery']));
    res.end('ok');
  });
  await Promise.all([listen(meiliProxy), listen(receiver)]);
});

afterAll(async () => {
  if (server) await stopServer(server);
  meiliProxy?.closeAllConnections();
  meiliProxy?.close();
  receiver?.closeAllConnections();
  receiver?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const start = async () => {
  server = await startServer({
    dataDir, port: await freePort(),
    env: { MEILI_URL: `http://127.0.0.1:${(meiliProxy.address() as AddressInfo).port}`, DOSSIER_SEARCH_INDEX: index },
  });
  return server.url;
};

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('after a crash', () => {
  it('a restarted server finishes the index update and the webhook delivery the killed one had leased, within seconds', async () => {
    let at = await start();
    const { token } = await signIn(undefined, at);
    expect((await api('/api/v1/projects', { method: 'POST', auth: token, at, json: { key: 'CRSH', name: 'Crash' } })).status).toBe(201);
    const hookRes = await api('/api/v1/projects/CRSH/webhooks', { method: 'POST', auth: token, at, json: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, format: 'json', events: ['commented'] } });
    const hook = ((await hookRes.json()) as { id: number }).id;
    expect((await api('/api/v1/projects/CRSH/requirements', { method: 'POST', auth: token, at, json: { title: 'Survive a crash', category: 'feature' } })).status).toBe(201);

    const pending = async () => ((await (await api('/healthz', { at })).json()) as { outboxPending: number }).outboxPending;
    await until('the new project to be indexed', async () => (await pending()) === 0);
    holdDocuments = true;
    expect((await api('/api/v1/pages/crsh/zeppelin', { method: 'PUT', auth: token, at, json: { title: 'Zeppelin recovery drill', markdown: 'Checked after kill -9 齐柏林' } })).status).toBe(201);
    expect((await api('/api/v1/requirements/CRSH-1/comments', { method: 'POST', auth: token, at, json: { comment: 'deliver me' } })).status).toBe(201);
    await until('the server to be stuck in both', async () => held.length > 0 && hung > 0);
    expect(await pending()).toBeGreaterThan(0); // our page (and the commented requirement): sent to Meilisearch, not applied

    await stopServer(server!, 'SIGKILL');
    const killedAt = Date.now();
    holdDocuments = false;
    hang = false;
    for (const res of held) res.destroy();

    at = await start();
    const upAt = Date.now();
    const search = async () => ((await (await api('/api/v1/search?q=zeppelin', { auth: token, at })).json()) as { hits: { title: string }[] }).hits.some((h) => h.title === 'Zeppelin recovery drill');
    const log = async () => ((await (await api(`/api/v1/projects/CRSH/webhooks/${hook}/deliveries`, { auth: token, at })).json()) as { status: string }[])[0]?.status === 'delivered';
    let indexedAt = 0;
    let deliveredAt = 0;
    await until('the page to be searchable and the delivery delivered', async () => {
      if (!indexedAt && (await search())) indexedAt = Date.now();
      if (!deliveredAt && (await log())) deliveredAt = Date.now();
      return indexedAt > 0 && deliveredAt > 0;
    }, 90_000);
    console.log(`restart took ${upAt - killedAt} ms; after it: the page sent again in ${pageSentAt - upAt} ms, searchable in ${indexedAt - upAt} ms, delivered in ${deliveredAt - upAt} ms`);
    // The leases govern when the work is taken up again; how long Meilisearch then takes to apply
    // it depends on how busy this machine is, so that is only waited for.
    expect(pageSentAt).toBeGreaterThan(killedAt);
    expect(pageSentAt - upAt).toBeLessThan(15_000);
    expect(deliveredAt - upAt).toBeLessThan(15_000);
    expect(delivered).toHaveLength(1);
  }, 240_000);
});
