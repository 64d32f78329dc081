// Page views give way to the other requests at the HTTP server in front of Astro
// (scripts/lib/http-server.ts, page-view-gate.ts): while nothing else runs, every page view goes at
// once; while another request is being answered, page views wait in arrival order and at most four
// are rendered per pass of the event loop; other requests never wait.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHttpServer, type AppHandler } from '../../scripts/lib/http-server.ts';
import { pageViewGate } from '../../scripts/lib/page-view-gate.ts';

const nextPass = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the gate', () => {
  /** Starts `n` page views at once and records in which pass of the event loop each one ran. */
  async function passesOf(gate: ReturnType<typeof pageViewGate>, n: number): Promise<number[]> {
    let pass = 0;
    const ran: number[] = [];
    const views = Array.from({ length: n }, (_, i) => gate.pageView(async () => { ran[i] = pass; }));
    while (ran.filter((r) => r !== undefined).length < n) { await nextPass(); pass++; }
    await Promise.all(views);
    return ran;
  }

  test('with nothing else running, every page view runs at once', async () => {
    expect(new Set(await passesOf(pageViewGate(4), 10)).size).toBe(1);
  });

  test('while another request is answered, at most four per pass, in arrival order; the other never waits', async () => {
    const gate = pageViewGate(4);
    let release!: () => void;
    const other = gate.other(() => new Promise<void>((r) => (release = r)));
    const ran = await passesOf(gate, 10);
    const perPass = [...new Set(ran)].map((p) => ran.filter((r) => r === p).length);
    expect(perPass).toEqual([4, 4, 2]);
    expect(ran).toEqual([...ran].sort((a, b) => a - b)); // in arrival order
    let answered = false;
    await gate.other(async () => { answered = true; }); // runs without waiting for any pass
    expect(answered).toBe(true);
    release();
    await other;
  });

  test('a moment after the last other request ended, page views run at once again', async () => {
    const gate = pageViewGate(4, 50);
    await gate.other(async () => {});
    expect(new Set(await passesOf(gate, 10)).size).toBeGreaterThan(1); // still giving way
    await sleep(60);
    expect(new Set(await passesOf(gate, 10)).size).toBe(1);
  });
});

describe('the HTTP server', () => {
  let started: string[] = [];
  const gates = new Map<string, () => void>();
  // The application: a page view or /api/hold answers when the test lets it; any other API request at once.
  const app: AppHandler = async (req, res) => {
    started.push(req.url!);
    if (!req.url!.startsWith('/api/') || req.url === '/api/hold') await new Promise<void>((resolve) => gates.set(req.url!, resolve));
    res.end(req.url);
  };
  const release = (url: string) => { gates.get(url)!(); gates.delete(url); };
  const pageUrls = (prefix: string) => [1, 2, 3, 4, 5, 6].map((n) => `/s/${prefix}-${n}`);
  const until = async (ok: () => boolean) => { for (let i = 0; i < 200 && !ok(); i++) await sleep(10); };
  let server: http.Server;
  let base: string;
  const views = (urls: string[]) => urls.map((u) => fetch(`${base}${u}`).then((r) => r.text()));

  beforeAll(async () => {
    const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-client-'));
    server = createHttpServer(app, clientDir).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  });
  afterAll(() => { server.closeAllConnections(); server.close(); });

  test('page views are answered while another request runs, which never waits for them', async () => {
    started = [];
    const held = fetch(`${base}/api/hold`).then((r) => r.text());
    await until(() => started.length === 1);
    const urls = pageUrls('busy');
    const answers = views(urls);
    await until(() => started.length === 7);
    expect(started.slice(1).sort()).toEqual([...urls].sort());
    expect(await (await fetch(`${base}/api/v1/ping`)).text()).toBe('/api/v1/ping');
    for (const u of urls) release(u);
    expect((await Promise.all(answers)).sort()).toEqual([...urls].sort());
    release('/api/hold');
    expect(await held).toBe('/api/hold');
  });
});
