// Notification settings and chat ids on /account, in real Chromium and through the JSON API:
// choose per kind (inbox / e-mail / digest), save, see it kept; store a Lark open_id and a
// Slack member id. Screenshots of the settings in both languages on desktop and phone.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;
let token: string;
const SHOTS = '/tmp/shots-mail';

beforeAll(async () => {
  browser = await launch();
  ({ token } = await signIn());
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => {
  // Leave the shared admin as other test files expect it: no chat ids, default settings.
  await api('/api/v1/account', { method: 'PATCH', auth: token, json: { larkOpenId: null, slackMemberId: null } });
  await api('/api/v1/account/notifications', { method: 'PUT', auth: token, json: { commented: 'inbox', mentioned: 'email', assigned: 'email' } });
  await browser?.close();
});

const prefs = async () => (await (await api('/api/v1/account/notifications', { auth: token })).json()) as Record<string, string>;
const submit = (page: Page, name: string) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);

async function shoot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header is drawn there and not over the middle of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('notification settings API', () => {
  it('GET answers every kind; PUT saves known kinds and answers 400 for anything else, saving nothing', async () => {
    const before = await prefs();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['assigned', 'mentioned', 'nudged', 'commented', 'due-soon', 'overdue', 'page-changed']));
    const put = await api('/api/v1/account/notifications', { method: 'PUT', auth: token, json: { assigned: 'email', mentioned: 'digest' } });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ ...before, assigned: 'email', mentioned: 'digest' });
    for (const body of ['{"bogus":"email"}', '{"assigned":"sms"}', '{"assigned":null}', '{"__proto__":"email"}', '["assigned"]', '{"commented":"digest","x":"inbox"}', '{"assigned":"email"']) {
      const res = await api('/api/v1/account/notifications', { method: 'PUT', auth: token, body, headers: { 'content-type': 'application/json' } });
      expect(res.status, body).toBe(400);
      expect(await res.json()).toEqual({ error: expect.any(String) });
    }
    expect((await prefs()).commented).toBe(before.commented);
    expect((await api('/api/v1/account/notifications')).status).toBe(401);
    expect((await api('/api/v1/account/notifications', { method: 'PUT', json: { assigned: 'inbox' } })).status).toBe(401);
  });

  it('PATCH /api/v1/account stores chat ids and refuses ones that could break a message', async () => {
    const ok = await api('/api/v1/account', { method: 'PATCH', auth: token, json: { larkOpenId: 'ou_0123abcd', slackMemberId: 'U0ABC123' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ email: 'admin@example.com', larkOpenId: 'ou_0123abcd', slackMemberId: 'U0ABC123' });
    for (const json of [{ larkOpenId: 'ou_1\r\nBcc: x@y.z' }, { larkOpenId: '<at user_id="all">' }, { slackMemberId: '<!channel>' }, { slackMemberId: ['U1'] }, { name: 'A\r\nB' }]) {
      expect((await api('/api/v1/account', { method: 'PATCH', auth: token, json })).status, JSON.stringify(json)).toBe(400);
    }
    expect(await (await api('/api/v1/account', { auth: token })).json()).toMatchObject({ larkOpenId: 'ou_0123abcd', slackMemberId: 'U0ABC123' });
  });
});

describe('the account page', () => {
  it('chooses how each kind reaches me, and keeps it (English, desktop and phone)', async () => {
    const page = await signedInPage(browser);
    await page.goto('/account');
    expect(await page.getByTestId('no-mail').textContent()).toContain('E-mail is not set up');
    await page.getByLabel('Comments on requirements').selectOption('digest');
    await page.getByLabel('Mentions of me').selectOption('email');
    await page.getByLabel('Watched pages edited').selectOption('digest');
    await submit(page, 'Save notification settings');
    expect(await page.getByRole('status').textContent()).toBe('Saved.');
    expect(await page.getByLabel('Comments on requirements').inputValue()).toBe('digest');
    expect(await prefs()).toMatchObject({ commented: 'digest', mentioned: 'email', 'page-changed': 'digest' });

    await page.getByLabel('Lark / Feishu open_id').fill('ou_feedbeef');
    await page.getByLabel('Slack member ID').fill('');
    await submit(page, 'Save chat accounts');
    expect(await (await api('/api/v1/account', { auth: token })).json()).toMatchObject({ larkOpenId: 'ou_feedbeef', slackMemberId: null });
    expect(await page.getByLabel('Lark / Feishu open_id').inputValue()).toBe('ou_feedbeef');
    await shoot(page, 'prefs-en-desktop');
    await page.context().close();

    const phone = await signedInPage(browser, { viewport: { width: 390, height: 844 } });
    await phone.goto('/account#notifications');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await phone.getByLabel('Due soon').selectOption('email');
    await submit(phone, 'Save notification settings');
    expect((await prefs())['due-soon']).toBe('email');
    await shoot(phone, 'prefs-en-phone');
    await phone.context().close();
  });

  it('in Chinese, on desktop and phone', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/account');
    expect(await page.locator('#notifications-title').textContent()).toBe('通知');
    await page.getByLabel('需求的评论').selectOption('email');
    await submit(page, '保存通知设置');
    expect(await page.getByRole('status').textContent()).toBe('已保存。');
    expect((await prefs()).commented).toBe('email');
    expect(await page.getByLabel('需求的评论').locator('option:checked').textContent()).toBe('立即发邮件');
    await shoot(page, 'prefs-zh-desktop');
    await page.context().close();

    const phone = await signedInPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await phone.goto('/account#notifications');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await shoot(phone, 'prefs-zh-phone');
    await phone.context().close();
  });
});
