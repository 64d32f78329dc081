// An import cut off by a crash, in real Chromium: a server killed (SIGKILL) while it imports a large
// archive and started again on the same data folder tells the site admin, on Admin → Spaces, which
// import did not finish and how many pages it stored; the space's settings offer to keep it as it
// is (clicked here) or to archive and delete it. Screenshots in both languages, desktop and phone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/meili/process.ts';
import { zipOf } from '../fixtures/zip-of.ts';
import { ADMIN, bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';
import { launch, screenshotDir, screenshotsIn, signedInPage } from './browser.ts';
import { api, signIn, until } from './http.ts';

const dataDir = bareDataDir();
const env = { DOSSIER_SEARCH_INDEX: `cut_${process.pid}` };
const shoot = screenshotsIn(path.join(screenshotDir, 'import-cut'));
let server: RunningServer;
let port = 0;
let token = '';
let browser: Browser;

interface Status { imports: { space: string; pages: number }[]; interrupted: { space: string; name: string; pages: number; startedAt: string }[] }
const status = async () => (await (await api('/api/v1/imports', { auth: token, at: server.url })).json()) as Status;

beforeAll(async () => {
  port = await freePort();
  server = await startServer({ dataDir, port, env });
  ({ token } = await signIn(ADMIN, server.url));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await stopServer(server);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('an import the server was killed during', () => {
  it('is said to be unfinished after the restart, with the pages it stored, until the admin keeps the space', { timeout: 240_000 }, async () => {
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cut-')), 'big.zip');
    fs.writeFileSync(zip, await zipOf(Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`Big/page-${i}.md`, `# Page ${i}\n\nBody ${i}.`]))));
    const form = new FormData();
    form.append('space', 'cut-big');
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(zip))], { type: 'application/zip' }), 'big.zip');
    const upload = api('/api/v1/imports', { method: 'POST', auth: token, at: server.url, body: form }).then((r) => r.status, () => 'no answer');
    const running = await until('the first batch of pages stored', async () => (await status()).imports.find((i) => i.space === 'cut-big' && i.pages > 0), 120_000);
    expect(running.pages).toBeLessThan(4000);

    await stopServer(server, 'SIGKILL');
    expect(await upload).toBe('no answer');
    server = await startServer({ dataDir, port, env });
    expect(server.output()).toContain('removed the folders of 1 import cut off when the server last stopped');
    const { imports, interrupted: [cut, ...others] } = await status();
    expect([imports, others]).toEqual([[], []]);
    expect(cut).toMatchObject({ space: 'cut-big', pages: expect.any(Number) });
    expect(cut!.pages).toBeGreaterThanOrEqual(running.pages);
    expect(cut!.pages).toBeLessThan(4000);

    const page = await signedInPage(browser, { at: server.url });
    await page.goto('/admin/spaces');
    const notice = page.getByTestId('import-cut-notice');
    expect(await notice.textContent()).toMatch(new RegExp(`The import of “cut-big” \\(cut-big\\), started on .+, stopped before it finished: ${cut!.pages.toLocaleString('en')} pages were stored, so some may be missing\\. Keep it or delete it`));
    await shoot(page, 'spaces-en');
    await Promise.all([page.waitForURL((url) => url.pathname === '/admin/spaces/cut-big'), notice.getByRole('link', { name: 'Keep it or delete it' }).click()]);
    const panel = page.getByTestId('import-cut');
    expect(await panel.getByRole('heading').textContent()).toBe('This import did not finish');
    expect(await panel.textContent()).toContain(`It stored ${cut!.pages.toLocaleString('en')} pages; the rest of the archive is not here.`);
    await shoot(page, 'settings-en', false);
    await panel.getByRole('link', { name: 'Delete this space' }).click();
    await page.waitForURL((url) => url.hash === '#delete-title');
    expect(await page.getByTestId('space-delete').textContent()).toContain('Archive the space first');
    await Promise.all([page.waitForURL((url) => url.search === '?kept'), page.getByTestId('import-cut-keep').click()]);
    expect(await page.getByTestId('import-kept').textContent()).toBe('The space is kept as it is.');
    expect(await page.getByTestId('import-cut').count()).toBe(0);
    await page.goto('/admin/spaces');
    expect(await page.getByTestId('import-cut-notice').count()).toBe(0);
    expect((await status()).interrupted).toEqual([]);
    await page.context().close();
  });

  it('is said in Chinese on a phone', { timeout: 120_000 }, async () => {
    // A second cut import, made the same way but without the wait: the folder a killed server leaves.
    const stopped = path.join(dataDir, 'import-zh');
    fs.mkdirSync(stopped);
    const startedAt = Date.now();
    expect((await api('/api/v1/spaces', { method: 'POST', auth: token, at: server.url, json: { key: 'cut-zh', name: '半途导入' } })).status).toBe(201);
    expect((await api('/api/v1/pages/cut-zh/', { method: 'PUT', auth: token, at: server.url, json: { title: '首页', markdown: '第一页。' } })).status).toBe(201);
    const db = new Database(path.join(dataDir, 'dossier.db'), { readonly: true });
    const importerId = db.prepare('select id from users where email = ?').pluck().get(ADMIN.email);
    db.close();
    fs.writeFileSync(path.join(stopped, 'import.json'), JSON.stringify({ space: 'cut-zh', importerId, startedAt: startedAt - 1000 }));
    await stopServer(server);
    server = await startServer({ dataDir, port, env });
    const zh = await signedInPage(browser, { at: server.url, locale: 'zh-CN', phone: true });
    await zh.goto('/admin/spaces');
    expect(await zh.getByTestId('import-cut-notice').textContent()).toMatch(/^“半途导入”（cut-zh）的导入（开始于 .+）中途停止：已保存 1 个页面，可能缺少部分页面。 保留或删除$/);
    await shoot(zh, 'spaces-zh-phone');
    await zh.goto('/admin/spaces/cut-zh');
    expect(await zh.getByTestId('import-cut').getByRole('button').textContent()).toBe('按现状保留');
    await shoot(zh, 'settings-zh-phone', false);
    await zh.context().close();
  });
});
