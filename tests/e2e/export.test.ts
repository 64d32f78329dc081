// Export by clicking, in real Chromium: the space home's "Export space" and a page's "Export"
// (Chinese, phone) each download a zip that a zip reader opens, holding what they say; the API
// answers a space the user may not read as one that does not exist.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { png } from '../fixtures/attachments.ts';
import { unzip } from '../fixtures/unzip.ts';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

let browser: Browser;
let admin = '';
let shotId = '';

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'exp-e2e', name: 'Export 导出' } })).status).toBe(201);
  expect((await api('/api/v1/pages/exp-e2e/', { method: 'PUT', auth: admin, json: { title: 'Export home', markdown: 'See [[Release notes 发布说明]].' } })).status).toBe(201);
  expect((await api('/api/v1/pages/exp-e2e/notes', { method: 'PUT', auth: admin, json: { title: 'Release notes 发布说明', markdown: 'First.' } })).status).toBe(201);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await png(32, 24))], { type: 'image/png' }), 'shot.png');
  const shot = (await (await api('/api/v1/attachments/exp-e2e/notes', { method: 'POST', auth: admin, body: form })).json()) as { id: number; url: string };
  shotId = String(shot.id);
  expect((await api('/api/v1/pages/exp-e2e/notes', { method: 'PUT', auth: admin, json: { title: 'Release notes 发布说明', markdown: `First.\n\n![shot](${shot.url})`, baseRevision: 1 } })).status).toBe(200);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'exp-closed', name: 'Closed', visibility: 'restricted' } })).status).toBe(201);
});
afterAll(async () => { await browser?.close(); });

describe('export by clicking', () => {
  it('downloads the whole space from its home page', async () => {
    const page = await signedInPage(browser);
    await page.goto('/s/exp-e2e');
    const button = page.getByTestId('export');
    expect(await button.textContent()).toBe('Export space');
    await screenshot(page, 'export-space-en');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^exp-e2e-\d{4}-\d{2}-\d{2}\.zip$/);
    const entries = await unzip(fs.readFileSync((await download.path())!));
    expect(entries.map((e) => e.name).sort()).toEqual([`exp-e2e/_files/${shotId}/shot.png`, 'exp-e2e/_space.yaml', 'exp-e2e/index.md', 'exp-e2e/notes.md']);
    expect(entries.find((e) => e.name === 'exp-e2e/notes.md')!.bytes.toString()).toContain(`![shot](_files/${shotId}/shot.png)`);
    await page.context().close();
  });

  it('downloads one page with the pages under it, from the page, in Chinese on a phone', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN', phone: true });
    await page.goto('/s/exp-e2e/notes');
    const button = page.getByTestId('export');
    expect(await button.textContent()).toBe('导出');
    expect(await button.getAttribute('title')).toContain('下级页面');
    await screenshot(page, 'export-page-zh-phone');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toMatch(/^exp-e2e-notes-\d{4}-\d{2}-\d{2}\.zip$/);
    const names = (await unzip(fs.readFileSync((await download.path())!))).map((e) => e.name);
    expect(names).toContain('exp-e2e/notes.md');
    expect(names).not.toContain('exp-e2e/index.md');
    await page.context().close();
  });

  it('answers a space the user may not read as one that does not exist', async () => {
    const reader = await userToken(admin, 'export.reader@example.com', 'Export reader');
    const get = async (url: string) => { const r = await api(url, { auth: reader }); return `${r.status} ${r.headers.get('content-type')} ${await r.text()}`; };
    expect(await get('/api/v1/exports/exp-closed')).toBe(await get('/api/v1/exports/exp-nope'));
    expect(await get('/api/v1/exports/exp-closed')).toMatch(/^404 application\/json/);
    expect((await api('/api/v1/exports/exp-e2e', { auth: reader })).headers.get('content-type')).toBe('application/zip');
  });

  it('answers HEAD with the headers alone, recording no export', async () => {
    const exports = async () => ((await (await api('/api/v1/audit?action=space.export&limit=1000', { auth: admin })).json()) as unknown[]).length;
    const before = await exports();
    const head = await api('/api/v1/exports/exp-e2e/notes', { method: 'HEAD', auth: admin });
    expect([head.status, head.headers.get('content-type'), head.headers.get('content-disposition')]).toEqual([200, 'application/zip', expect.stringMatching(/filename="exp-e2e-notes-\d{4}-\d{2}-\d{2}\.zip"/)]);
    expect((await api('/api/v1/exports/exp-closed', { method: 'HEAD', auth: await userToken(admin, 'export.reader@example.com', 'Export reader') })).status).toBe(404);
    expect(await exports()).toBe(before);
  });
});
