// Page views give way to the other requests at the HTTP server in front of Astro
// (scripts/lib/http-server.ts, page-view-gate.ts): while nothing else runs, every page view goes at
// once; while another request is being answered, at most four run and the rest wait in order; API
// requests never wait.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHttpServer, type AppHandler } from '../../scripts/lib/http-server.ts';

let started: string[] = [];
const gates = new Map<string, () => void>();
// The application: a page view or /api/hold answers when the test lets it; any other API request at once.
const app: AppHandler = async (req, res) => {
  started.push(req.url!);
  if (!req.url!.startsWith('/api/') || req.url === '/api/hold') await new Promise<void>((resolve) => gates.set(req.url!, resolve));
  res.end(req.url);
};
const release = (url: string) => { gates.get(url)!(); gates.delete(url); };
const views = (urls: string[]) => urls.map((u) => fetch(`${base}${u}`).then((r) => r.text()));
const pageUrls = (prefix: string) => [1, 2, 3, 4, 5, 6].map((n) => `/s/${prefix}-${n}`);
let server: http.Server;
let base: string;
const until = async (ok: () => boolean) => { for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10)); };
const settle = () => new Promise((r) => setTimeout(r, 100));

beforeAll(async () => {
  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-client-'));
  server = createHttpServer(app, clientDir).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); });

test('with nothing else running, every page view goes at once', async () => {
  started = [];
  const urls = pageUrls('free');
  const answers = views(urls);
  await until(() => started.length === 6);
  expect(started.sort()).toEqual([...urls].sort());
  for (const u of urls) release(u);
  expect((await Promise.all(answers)).sort()).toEqual([...urls].sort());
});

test('while another request runs, four page views at once and the rest in turn; a view whose client left is skipped', async () => {
  started = [];
  const held = fetch(`${base}/api/hold`).then((r) => r.text());
  await until(() => started.length === 1);
  const urls = pageUrls('busy');
  const answers = views(urls);
  await until(() => started.length === 5);
  await settle();
  expect(started.filter((u) => u.startsWith('/s/'))).toHaveLength(4); // two wait

  expect(await (await fetch(`${base}/api/v1/ping`)).text()).toBe('/api/v1/ping'); // never waits

  // A seventh reader gives up while waiting: its view never starts.
  const leaving = new AbortController();
  const left = fetch(`${base}/s/page-gone`, { signal: leaving.signal }).catch(() => 'aborted');
  await settle();
  leaving.abort();
  expect(await left).toBe('aborted');

  release(started.find((u) => u.startsWith('/s/'))!); // one finishes: one waiting view starts
  await until(() => started.filter((u) => u.startsWith('/s/')).length === 5);
  await settle();
  expect(started.filter((u) => u.startsWith('/s/'))).toHaveLength(5);

  release('/api/hold'); // nothing else runs any more: the rest go at once
  expect(await held).toBe('/api/hold');
  await until(() => started.filter((u) => u.startsWith('/s/')).length === 6);
  for (const u of [...gates.keys()]) release(u);
  expect((await Promise.all(answers)).sort()).toEqual([...urls].sort());
  expect(started).not.toContain('/s/page-gone');
});
