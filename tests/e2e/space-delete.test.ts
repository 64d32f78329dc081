// Deleting a space in real Chromium and through the HTTP API (src/server/spaces/delete-space.ts):
// the section at the end of a space's settings says to archive first; once archived, the key must
// be typed (the browser holds a wrong one back, the server refuses it too), and the button deletes
// it and says where its copy is. Screenshots of the section in both languages, desktop and phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshotDir, screenshotsIn, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

let browser: Browser;
let admin = '';
const shot = screenshotsIn(screenshotDir);

const newSpace = async (key: string, name: string) => {
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key, name, kind: 'general' } })).status).toBe(201);
  expect((await api(`/api/v1/pages/${key}/notes`, { method: 'PUT', auth: admin, json: { title: `${name} notes`, markdown: 'Half imported.' } })).status).toBe(201);
};
const archive = async (key: string) => expect((await api(`/api/v1/spaces/${key}`, { method: 'PATCH', auth: admin, json: { archived: true } })).status).toBe(200);
const del = (key: string, confirm: unknown, auth = admin) => api(`/api/v1/spaces/${key}`, { method: 'DELETE', auth, json: { confirm } });

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  await newSpace('thaw', 'Thaw import 解冻');
  await newSpace('melt', 'Melt 融化');
});
afterAll(async () => { await browser?.close(); });

describe('deleting a space by clicking', () => {
  let page: Page;
  beforeAll(async () => { page = await signedInPage(browser); });

  it('asks to archive first, then deletes once the key is typed, and says where the copy is', async () => {
    await page.goto('/admin/spaces/thaw');
    const section = page.getByTestId('space-delete');
    expect(await section.textContent()).toContain('Archive the space first');
    expect(await page.getByTestId('space-delete-submit').count()).toBe(0);

    await archive('thaw');
    await page.goto('/admin/spaces/thaw');
    await page.getByTestId('space-delete-confirm').fill('THAW');
    await page.getByTestId('space-delete-submit').click(); // held back by the browser: not the key
    expect(new URL(page.url()).pathname).toBe('/admin/spaces/thaw');
    expect(await page.getByTestId('space-delete-confirm').evaluate((el: HTMLInputElement) => el.validity.patternMismatch)).toBe(true);
    expect((await api('/api/v1/spaces/thaw', { auth: admin })).status).toBe(200);

    await page.getByTestId('space-delete-confirm').fill('thaw');
    await Promise.all([page.waitForURL((url) => url.pathname === '/admin/spaces'), page.getByTestId('space-delete-submit').click()]);
    const notice = await page.getByTestId('space-deleted').textContent();
    expect(notice).toMatch(/The space “thaw” was deleted\. Its copies are kept in the data folder: deleted-spaces\/thaw-([\dT-]+Z)\.zip \(to import again\) and deleted-spaces\/thaw-\1\.sqlite \(every deleted record\)\./);
    expect(await page.getByTestId('spaces').textContent()).not.toContain('thaw');
    expect((await api('/api/v1/spaces/thaw', { auth: admin })).status).toBe(404);
    expect((await api('/api/v1/pages/thaw/notes', { auth: admin })).status).toBe(404);
  });

  it('is not offered to the space’s own admin: only site admins delete spaces', async () => {
    await userToken(admin, 'melt.admin@example.com', 'Melt Admin');
    expect((await api('/api/v1/spaces/melt/grants', { method: 'PUT', auth: admin, json: [{ user: 'melt.admin@example.com', role: 'admin' }] })).status).toBe(200);
    const own = await signedInPage(browser, { as: { email: 'melt.admin@example.com', password: 'a long enough password 42' } });
    await own.goto('/admin/spaces/melt');
    expect(await own.getByTestId('archive-toggle').count()).toBe(1); // the settings are theirs
    expect(await own.getByTestId('space-delete').count()).toBe(0);
    await own.context().close();
  });

  it('says a refusal from the server in the admin’s language, and deletes nothing', async () => {
    await archive('melt');
    const zh = await signedInPage(browser, { locale: 'zh-CN' });
    await zh.goto('/admin/spaces/melt');
    // A form whose check the browser skipped (as a script or an old browser would): the server refuses it.
    await zh.getByTestId('space-delete-confirm').evaluate((el: HTMLInputElement) => { el.removeAttribute('pattern'); el.value = 'melted'; });
    await Promise.all([zh.waitForEvent('load'), zh.getByTestId('space-delete-submit').click()]);
    expect(await zh.locator('.notice.error').textContent()).toBe('请输入空间标识 melt 以确认删除。');
    expect((await api('/api/v1/spaces/melt', { auth: admin })).status).toBe(200);
    await zh.context().close();
  });
});

describe('DELETE /api/v1/spaces/<key>', () => {
  it('answers 409 for a space not archived, 422 for a wrong key, 403 for a non-admin, 404 for none; then 200', async () => {
    expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'floe', name: 'Floe', kind: 'general' } })).status).toBe(201);
    const live = await del('floe', 'floe');
    expect([live.status, await live.json()]).toEqual([409, expect.objectContaining({ code: 'spaceNotArchived' })]);
    await archive('floe');
    const wrong = await del('floe', 'Floe');
    expect([wrong.status, await wrong.json()]).toEqual([422, expect.objectContaining({ code: 'spaceDeleteConfirm', field: 'confirm' })]);
    const member = await userToken(admin, 'floe.reader@example.com', 'Floe Reader');
    expect((await del('floe', 'floe', member)).status).toBe(403);
    const none = await del('no-such-space', 'no-such-space', member);
    expect([none.status, await none.text()]).toEqual([404, '{"error":"Not found"}']);
    expect((await api('/api/v1/spaces/floe', { method: 'DELETE', auth: admin, body: 'confirm=floe', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    const done = await del('floe', 'floe');
    expect([done.status, await done.json()]).toEqual([200, expect.objectContaining({ deleted: 'floe', pages: 0, requirements: 0, attachments: 0, copy: expect.stringMatching(/^deleted-spaces\/floe-/) })]);
    expect((await del('floe', 'floe')).status).toBe(404);
  });
});

describe('screenshots', () => {
  it('of the delete section, archived and not, in both languages on desktop and phone', async () => {
    await newSpace('berg', 'Berg 冰山');
    for (const archived of [false, true]) {
      if (archived) await archive('berg');
      for (const locale of ['en-US', 'zh-CN']) {
        for (const phone of [false, true]) {
          const page = await signedInPage(browser, { locale, phone });
          await page.goto('/admin/spaces/berg');
          expect(await page.getByTestId('space-delete').isVisible()).toBe(true);
          await shot(page, `space-delete-${archived ? 'archived' : 'live'}-${locale === 'en-US' ? 'en' : 'zh'}-${phone ? 'phone' : 'desktop'}`);
          await page.context().close();
        }
      }
    }
  });
});
