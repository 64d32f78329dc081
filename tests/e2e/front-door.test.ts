// The front door (issue 10, part 9): a copy of the project installed below a folder whose name
// starts with a dot (~/.apps/dossier) serves its built assets; and a build finished while the
// server runs leaves it serving the assets its pages reference.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/meili/process.ts';
import { root } from '../../scripts/lib/build.ts';
import { bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';

const outside = fs.mkdtempSync(path.join(os.tmpdir(), '.front-door-'));
const install = path.join(outside, '.apps', 'dossier');
const dataDir = bareDataDir();
let server: RunningServer;

/** A GET on a connection of its own: a kept-alive one may be closed by the server during the long build. */
function get(url: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** The /_astro/ files a page's HTML refers to. */
async function assetsOf(url: string): Promise<string[]> {
  const html = (await get(url)).body.toString();
  return [...new Set([...html.matchAll(/(?:href|src)="(\/_astro\/[^"]+)"/g)].map((m) => m[1]!))];
}

beforeAll(async () => {
  // The built project as a user would have it (dist/ copied with its times, so it is not rebuilt).
  for (const entry of ['package.json', 'package-lock.json', 'astro.config.mjs', 'tsconfig.json', 'src', 'db', 'scripts', 'public', 'dist']) {
    fs.cpSync(path.join(root, entry), path.join(install, entry), { recursive: true, preserveTimestamps: true });
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(install, 'node_modules'));
  server = await startServer({ dataDir, port: await freePort(), root: install });
}, 180_000);
afterAll(async () => {
  if (server) await stopServer(server);
  for (const dir of [outside, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('installed below a dotted folder', () => {
  it('serves every asset its pages reference', async () => {
    const assets = await assetsOf(`${server.url}/login`);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const res = await get(`${server.url}${asset}`);
      expect(res.status, asset).toBe(200);
      // The very file of the copy below the dotted folder.
      expect(res.body.equals(fs.readFileSync(path.join(install, 'dist/client', asset))), asset).toBe(true);
      expect(res.headers['cache-control'], asset).toContain('immutable');
    }
    expect((await get(`${server.url}/favicon.svg`)).status).toBe(200);
    // Still nothing outside the client folder, nor a made-up asset.
    expect((await get(`${server.url}/_astro/nothing-here.css`)).status).toBe(404);
    expect((await get(`${server.url}/_astro/..%2f..%2fpackage.json`)).status).toBe(404);
  });
});

describe('a build finished while the server runs', () => {
  it('leaves the running server with the assets its pages reference, and the new ones', async () => {
    const before = await assetsOf(`${server.url}/login`);
    const oldCss = before.find((a) => a.endsWith('.css'))!;
    // A changed stylesheet: the new build writes it under a new hashed name.
    fs.appendFileSync(path.join(install, 'src/styles/app.css'), '\n.front-door-rebuilt { color: inherit; }\n');
    execFileSync(process.execPath, [path.join(install, 'node_modules/astro/bin/astro.mjs'), 'build', '--silent'], {
      cwd: install, stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    const built = fs.readdirSync(path.join(install, 'dist/client/_astro')).filter((n) => n.endsWith('.css'));
    const newCss = built.map((n) => `/_astro/${n}`).find((a) => a !== oldCss && fs.readFileSync(path.join(install, 'dist/client', a), 'utf8').includes('front-door-rebuilt'));
    expect(newCss).toBeDefined();

    expect(server.child.exitCode, server.output()).toBeNull();
    for (const asset of [...before, ...(await assetsOf(`${server.url}/login`))]) {
      expect((await get(`${server.url}${asset}`)).status, asset).toBe(200);
    }
    // The new build's stylesheet, unknown when the server started, is served too.
    const res = await get(`${server.url}${newCss}`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('front-door-rebuilt');
  }, 300_000);
});
