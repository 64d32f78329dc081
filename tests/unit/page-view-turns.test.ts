// Page views take turns at the HTTP server in front of Astro (scripts/lib/http-server.ts): at most
// four at once, the others waiting in order, while API requests go straight through.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createHttpServer, type AppHandler } from '../../scripts/lib/http-server.ts';

const started: string[] = [];
const gates: (() => void)[] = [];
// The application: a page view answers when the test lets it; an API request at once.
const app: AppHandler = async (req, res) => {
  started.push(req.url!);
  if (!req.url!.startsWith('/api/')) await new Promise<void>((resolve) => gates.push(resolve));
  res.end(req.url);
};
let server: http.Server;
let base: string;
const until = async (ok: () => boolean) => { for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10)); };

beforeAll(async () => {
  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-client-'));
  server = createHttpServer(app, clientDir).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); });

test('four page views at once, an API request meanwhile, the rest in turn; a view whose client left is skipped', async () => {
  const views = [1, 2, 3, 4, 5, 6].map((n) => fetch(`${base}/s/page-${n}`).then((r) => r.text()));
  await until(() => started.length === 4);
  await new Promise((r) => setTimeout(r, 100));
  expect(started).toHaveLength(4); // two wait

  expect(await (await fetch(`${base}/api/v1/ping`)).text()).toBe('/api/v1/ping');

  // A seventh reader gives up while waiting: its view never starts.
  const leaving = new AbortController();
  const left = fetch(`${base}/s/page-gone`, { signal: leaving.signal }).catch(() => 'aborted');
  await new Promise((r) => setTimeout(r, 100));
  leaving.abort();
  expect(await left).toBe('aborted');

  gates.shift()!(); // one finishes: one waiting view starts
  await until(() => started.length === 6);
  expect(started.filter((u) => u.startsWith('/s/'))).toHaveLength(5);
  while (started.filter((u) => u.startsWith('/s/')).length < 6 || gates.length) {
    gates.shift()?.();
    await new Promise((r) => setTimeout(r, 10));
  }
  expect((await Promise.all(views)).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `/s/page-${n}`));
  expect(started).not.toContain('/s/page-gone');
});
