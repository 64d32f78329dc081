// Import by clicking, in real Chromium: a space exported as a zip is uploaded on Admin → Spaces,
// the page reports what was imported and opens the new space with its picture; another tool's
// export lists the files it skipped (names as text); a file that is not a zip is refused there,
// said in Chinese on a phone; a large import says how many pages it has stored while it runs; the
// plain form works without JavaScript; anyone but a site admin is answered as if the route did not exist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { png } from '../fixtures/attachments.ts';
import { zipOf } from '../fixtures/zip-of.ts';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, until, userToken } from './http.ts';

let browser: Browser;
let admin = '';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-e2e-'));
const zipFile = path.join(dir, 'imp-e2e.zip');

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'imp-e2e', name: 'Import 导入' } })).status).toBe(201);
  expect((await api('/api/v1/pages/imp-e2e/', { method: 'PUT', auth: admin, json: { title: 'Import home', markdown: 'See [[Setup 安装]].' } })).status).toBe(201);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await png(32, 24))], { type: 'image/png' }), 'shot.png');
  const shot = (await (await api('/api/v1/attachments/imp-e2e/', { method: 'POST', auth: admin, body: form })).json()) as { url: string };
  expect((await api('/api/v1/pages/imp-e2e/setup', { method: 'PUT', auth: admin, json: { title: 'Setup 安装', markdown: `Steps.\n\n![shot](${shot.url})` } })).status).toBe(201);
  fs.writeFileSync(zipFile, Buffer.from(await (await api('/api/v1/exports/imp-e2e', { auth: admin })).arrayBuffer()));
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('import by clicking', () => {
  it('uploads an exported space on Admin → Spaces, reports what it imported and opens the new space', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin/spaces');
    const form = page.getByTestId('import-space');
    await form.locator('input[type=file]').setInputFiles(zipFile);
    await form.locator('input[name=space]').fill('imp-copy');
    // Restricted unless the admin opens it: an imported folder may be HR's.
    expect(await form.getByLabel('Visibility').inputValue()).toBe('restricted');
    await screenshot(page, 'import-space-en-desktop');
    await form.getByRole('button', { name: 'Import' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.getByRole('status').textContent()).toBe('Imported 2 pages into the new space “imp-copy”. Open the space');
    expect(await report.locator('details').count()).toBe(0); // nothing skipped, no value left out
    expect(await form.getByRole('button', { name: 'Import' }).isEnabled()).toBe(true);
    // The list of spaces above has the new one, without reloading the page.
    await page.getByTestId('spaces').locator('tr', { hasText: 'imp-copy' }).waitFor();
    expect(await page.getByTestId('spaces').locator('tr', { hasText: 'imp-copy' }).getByRole('link').first().textContent()).toBe('Import 导入');
    await screenshot(page, 'import-space-report-en-desktop');
    await Promise.all([page.waitForURL('**/s/imp-copy'), report.getByRole('link', { name: 'Open the space' }).click()]);
    expect(await page.locator('h1').first().textContent()).toContain('Import home');
    expect(((await (await api('/api/v1/spaces/imp-copy', { auth: admin })).json()) as { visibility: string }).visibility).toBe('restricted');
    await page.goto('/s/imp-copy/setup');
    await page.waitForFunction(() => (document.querySelector('article.prose img') as HTMLImageElement | null)?.naturalWidth === 32);
    await page.context().close();
    // Imported by a process of its own; the server's indexer finds its pages all the same.
    await until('the imported page in search', async () => {
      const found = (await (await api('/api/v1/search?q=Setup&space=imp-copy', { auth: admin })).json()) as { hits: { path: string }[] };
      return found.hits.some((h) => h.path === 'setup');
    });
  });

  it('shows how many pages a large import has stored while it runs', { timeout: 120_000 }, async () => {
    const member = await userToken(admin, 'imp.reader@example.com', 'Imp Reader');
    expect((await api('/api/v1/imports', { auth: member })).status).toBe(404);
    expect(await (await api('/api/v1/imports', { auth: admin })).json()).toEqual({ imports: [], interrupted: [] });
    const big = path.join(dir, 'big-e2e.zip');
    fs.writeFileSync(big, await zipOf(Object.fromEntries(Array.from({ length: 6000 }, (_, i) => [`Big/page-${i}.md`, `# Page ${i}\n\nBody ${i}.`]))));
    const page = await signedInPage(browser);
    await page.goto('/admin/spaces');
    const form = page.getByTestId('import-space');
    await form.locator('input[type=file]').setInputFiles(big);
    await form.locator('input[name=space]').fill('imp-big');
    await form.getByRole('button', { name: 'Import' }).click();
    // Stored in batches of 500: the status says so while the rest are still being rendered.
    const status = form.locator('[data-import-status]');
    const during = until('the import in GET /api/v1/imports', async () => {
      const { imports } = (await (await api('/api/v1/imports', { auth: admin })).json()) as { imports: { space: string; pages: number; startedAt: string }[] };
      return imports.find((i) => i.space === 'imp-big' && i.pages > 0);
    }, 60_000);
    await status.filter({ hasText: /Importing the pages… [1-5]?,?[05]00 stored so far, \d+ s/ }).waitFor({ timeout: 60_000 });
    expect(await during).toMatchObject({ pages: expect.any(Number), startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.getByRole('status').textContent()).toBe('Imported 6,000 pages into the new space “imp-big”. Open the space');
    expect(await (await api('/api/v1/imports', { auth: admin })).json()).toEqual({ imports: [], interrupted: [] });
    await page.context().close();
    // Not left to weigh on the tests after this one: archived and deleted (the pages' index documents go too).
    expect((await api('/api/v1/spaces/imp-big', { method: 'PATCH', auth: admin, json: { archived: true } })).status).toBe(200);
    const deleted = await api('/api/v1/spaces/imp-big', { method: 'DELETE', auth: admin, json: { confirm: 'imp-big' } });
    expect([deleted.status, ((await deleted.json()) as { pages: number }).pages]).toEqual([200, 6000]);
  });

  it('lists the files it did not import and the values it left out, in Chinese on a phone, names shown as text', async () => {
    // Another tool's export: a folder named as the space, a page, and two files that are not pages,
    // one of them named like HTML.
    const hostileName = '<img src=x onerror="document.title=1">.txt';
    const outline = path.join(dir, 'team-notes.zip');
    fs.writeFileSync(outline, await zipOf({ 'Team Notes/Welcome 欢迎.md': '---\nowner: 李雷\n---\n# 欢迎\n\n团队笔记。', 'Team Notes/notes.txt': 'plain', [`Team Notes/${hostileName}`]: 'x' }));
    const page = await signedInPage(browser, { locale: 'zh-CN', phone: true });
    await page.goto('/admin/spaces');
    const form = page.getByTestId('import-space');
    await form.locator('input[type=file]').setInputFiles(outline);
    await form.getByRole('button', { name: '导入' }).click();
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.getByRole('status').textContent()).toBe('已将 1 个页面导入新空间“team-notes”。 打开空间');
    await report.getByText('2 个文件未导入').click();
    const skipped = report.locator('details').filter({ hasText: '2 个文件未导入' }).locator('li');
    expect(await skipped.allTextContents()).toEqual([`Team Notes/${hostileName} — 不是页面，也没有页面链接到它`, 'Team Notes/notes.txt — 不是页面，也没有页面链接到它']);
    await report.getByText('1 个页面导入时略去了某项设置').click();
    expect(await report.locator('details').filter({ hasText: '略去' }).locator('li').allTextContents()).toEqual(['Team Notes/Welcome 欢迎.md — owner：“李雷”不是邮箱地址']);
    expect(await report.locator('img').count()).toBe(0);
    expect(await page.title()).not.toBe('1');
    await screenshot(page, 'import-space-report-zh-phone');
    await page.context().close();
  });

  it('says why a file was refused, in Chinese on a phone, and creates nothing', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN', phone: true });
    await page.goto('/admin/spaces');
    const form = page.getByTestId('import-space');
    const notZip = path.join(dir, 'notes.zip');
    fs.writeFileSync(notZip, 'not a zip at all');
    await form.locator('input[type=file]').setInputFiles(notZip);
    await form.locator('input[name=space]').fill('imp-refused');
    await form.getByRole('button', { name: '导入' }).click();
    const error = page.getByTestId('import-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('该文件不是 zip 压缩包。');
    expect(await page.getByTestId('import-report').isVisible()).toBe(false);
    expect(await form.getByRole('button', { name: '导入' }).isEnabled()).toBe(true);
    await screenshot(page, 'import-space-refused-zh-phone');
    expect((await api('/api/v1/spaces/imp-refused', { auth: admin })).status).toBe(404);
    await page.context().close();
  });

  it('works without JavaScript: the plain form lands in the new space, or comes back saying why', async () => {
    const page = await signedInPage(browser, { javaScript: false });
    await page.goto('/admin/spaces');
    const form = page.getByTestId('import-space');
    await form.locator('input[type=file]').setInputFiles(zipFile);
    await form.locator('input[name=space]').fill('imp-plain');
    await Promise.all([page.waitForURL('**/s/imp-plain'), form.getByRole('button', { name: 'Import' }).click()]);
    expect(await page.locator('h1').first().textContent()).toContain('Import home');
    expect(((await (await api('/api/v1/spaces/imp-copy', { auth: admin })).json()) as { visibility: string }).visibility).toBe('restricted');
    await page.goto('/admin/spaces');
    await form.locator('input[type=file]').setInputFiles(zipFile);
    await form.locator('input[name=space]').fill('imp-plain');
    await Promise.all([page.waitForURL('**/admin/spaces?importError=spaceExists*'), form.getByRole('button', { name: 'Import' }).click()]);
    expect(await page.getByTestId('import-error').textContent()).toBe('A space "imp-plain" already exists.');
    await page.context().close();
  });

  it('answers anyone but a site admin as a route that does not exist', async () => {
    const member = await userToken(admin, 'import.member@example.com', 'Import member');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(fs.readFileSync(zipFile))], { type: 'application/zip' }), 'imp-e2e.zip');
    form.append('space', 'imp-member');
    const res = await api('/api/v1/imports', { method: 'POST', auth: member, body: form });
    expect([res.status, await res.text()]).toEqual([404, '{"error":"Not found"}']);
    expect((await api('/api/v1/spaces/imp-member', { auth: admin })).status).toBe(404);
  });
});
