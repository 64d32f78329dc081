// The inbox and the webhook settings in real Chromium against the built server: notifications
// made by another user through the API, read and marked read in both languages; a Lark webhook
// added through the form, delivered to a real receiver in this process, and shown in the log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;
let admin = '';
let reporter = '';
let receiver: http.Server;
let receiverPort = 0;
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  const password = 'a long reporter password 7';
  expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: 'qian.li@example.com', name: '钱力', password } })).status);
  reporter = (await signIn({ email: 'qian.li@example.com', password })).token;
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'INBX', name: 'Inbox demo 收件箱演示', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/inbx/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'qian.li@example.com', role: 'editor' }] })).status).toBe(200);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { received.push({ path: req.url ?? '', body }); res.end('ok'); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  // The demo project on a fresh server already told the admin about its items: start from all read.
  expect((await api('/api/v1/notifications/read', { method: 'POST', auth: admin, json: {} })).status).toBe(200);
  receiverPort = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  await browser?.close();
  receiver?.close();
});

const asReporter = (path: string, json: unknown) => api(path, { method: 'POST', auth: reporter, json });
const submit = (page: Page, name: string) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);

describe('inbox', () => {
  it('shows what happened, newest first, and marks one and then all read (English)', async () => {
    // Submitted by someone else, so the project owner (the admin) is told.
    expect((await asReporter('/api/v1/projects/INBX/requirements', { title: 'Export invoices as PDF', category: 'feature' })).status).toBe(201);
    expect((await asReporter('/api/v1/projects/INBX/requirements', { title: '发票抬头可编辑', category: 'feature', due: '2030-06-30' })).status).toBe(201);
    expect((await asReporter('/api/v1/requirements/INBX-1/comments', { comment: '@admin@example.com can you check the layout?' })).status).toBe(201);
    expect((await asReporter('/api/v1/requirements/INBX-1/transitions', { to: 'approved', comment: 'Agreed with finance' })).status).toBe(200);
    expect((await asReporter('/api/v1/requirements/INBX-2/nudge', {})).status).toBe(201);

    const res = await api('/api/v1/notifications?unread=1', { auth: admin });
    expect(res.status).toBe(200);
    const inbox = (await res.json()) as { unread: number; items: { kind: string; key: string; title: string; actor: { name: string }; at: string; read: boolean }[] };
    expect(inbox.unread).toBe(5);
    expect(inbox.items.map((i) => [i.kind, i.key])).toEqual([['nudged', 'INBX-2'], ['transitioned', 'INBX-1'], ['mentioned', 'INBX-1'], ['assigned', 'INBX-2'], ['assigned', 'INBX-1']]);
    expect(inbox.items[0]).toMatchObject({ title: '发票抬头可编辑', actor: { name: '钱力' }, read: false });

    const page = await signedInPage(browser);
    await page.goto('/inbox');
    expect(await page.locator('h1').textContent()).toBe('Inbox');
    expect(await page.getByTestId('unread-count').textContent()).toBe('5 unread');
    const items = page.getByTestId('inbox').locator('li');
    expect(await page.getByTestId('inbox').locator('li.unread').count()).toBe(5);
    // The older, read ones follow (the demo project's due reminders go to its imported assignees, not the admin).
    for (const cls of await items.evaluateAll((els) => els.slice(5).map((e) => e.className))) expect(cls).not.toContain('unread');
    expect(await items.nth(1).textContent()).toContain('钱力 moved it from “Submitted” to “Approved”');
    expect(await items.nth(2).textContent()).toContain('钱力 mentioned you: “@admin@example.com can you check the layout?”');
    // An unread item's link reads it on the way.
    expect(await items.nth(0).getByRole('link').getAttribute('href')).toMatch(/^\/inbox\/open\/\d+$/);
    await screenshot(page, 'inbox-en-desktop');

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Mark read: INBX-2' }).first().click()]);
    expect(await page.getByTestId('unread-count').textContent()).toBe('4 unread');
    expect(await page.getByTestId('inbox').locator('li').first().getAttribute('class')).not.toContain('unread');
    expect(await items.nth(0).getByRole('link').getAttribute('href')).toBe('/p/INBX/INBX-2');

    // Following an unread item opens what it is about and reads it.
    await Promise.all([page.waitForEvent('load'), items.nth(1).getByRole('link').click()]);
    expect(new URL(page.url()).pathname).toBe('/p/INBX/INBX-1');
    await page.goto('/inbox');
    expect(await page.getByTestId('unread-count').textContent()).toBe('3 unread');
    // The badge says where the requirement stands now: the mention came while it was still Submitted.
    expect(await items.nth(2).locator('.status-badge').textContent()).toBe('Approved');

    await page.getByRole('link', { name: 'Unread', exact: true }).click();
    expect(await page.getByTestId('inbox').locator('li').count()).toBe(3);
    await submit(page, 'Mark all as read');
    expect(await page.getByTestId('unread-count').textContent()).toBe('All read');
    expect(await page.locator('main').textContent()).toContain('No unread notifications.');
    expect(((await (await api('/api/v1/notifications?unread=1', { auth: admin })).json()) as { items: unknown[] }).items).toEqual([]);
    await page.context().close();
  });

  it('reads in Chinese, on a desktop and a phone; the API marks by id', async () => {
    expect((await asReporter('/api/v1/requirements/INBX-1/transitions', { to: 'in-progress' })).status).toBe(200);
    expect((await asReporter('/api/v1/requirements/INBX-2/comments', { comment: '抬头需要支持中英文两种写法。' })).status).toBe(201);
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/inbox');
    expect(await page.locator('h1').textContent()).toBe('收件箱');
    expect(await page.getByTestId('unread-count').textContent()).toBe('2 条未读');
    const first = page.getByTestId('inbox').locator('li').first();
    expect(await first.textContent()).toContain('钱力 评论：「抬头需要支持中英文两种写法。」');
    expect(await page.getByTestId('inbox').locator('li').nth(1).textContent()).toContain('将状态从「已批准」改为「开发中」');
    await screenshot(page, 'inbox-zh-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/inbox?unread');
    expect(await page.getByTestId('inbox').locator('li').count()).toBe(2);
    await screenshot(page, 'inbox-zh-mobile');
    await page.context().close();

    const { items } = (await (await api('/api/v1/notifications?unread=1', { auth: admin })).json()) as { items: { id: number }[] };
    const read = await api('/api/v1/notifications/read', { method: 'POST', auth: admin, json: { ids: [items[0]!.id] } });
    expect(await read.json()).toEqual({ marked: 1, unread: 1 });
    expect((await api('/api/v1/notifications/read', { method: 'POST', auth: admin, json: { ids: ['x'] } })).status).toBe(400);
  });
});

describe('webhook settings', () => {
  it('adds webhooks through the form, shows a generated secret once and the delivery log; pause and delete', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/INBX/webhooks');
    expect(await page.locator('h1').textContent()).toBe('INBX webhooks');
    expect(await page.getByTestId('webhooks').textContent()).toContain('No webhooks yet.');

    await page.getByLabel('URL').fill(`http://127.0.0.1:${receiverPort}/lark-bot`);
    await page.getByLabel('Lark / Feishu bot').check();
    await page.getByLabel('Status changed').check();
    await page.getByLabel('Commented').check();
    await submit(page, 'Add webhook');
    expect(await page.locator('[role=status]').first().textContent()).toContain('Webhook added.');

    await page.getByLabel('URL').fill(`http://127.0.0.1:${receiverPort}/generic`);
    await page.getByLabel('Generic JSON (signed)').check();
    await submit(page, 'Add webhook');
    expect(await page.getByTestId('secret').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.getByTestId('webhook').count()).toBe(2);

    // A transition reaches both; only the generic one wants nudges (it takes every event).
    expect((await asReporter('/api/v1/requirements/INBX-2/transitions', { to: 'approved' })).status).toBe(200);
    const deadline = Date.now() + 20_000;
    while (received.filter((r) => r.path === '/lark-bot').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const lark = JSON.parse(received.find((r) => r.path === '/lark-bot')!.body);
    expect(lark).toMatchObject({ msg_type: 'text' });
    expect(lark.content.text).toContain('INBX-2 发票抬头可编辑');
    expect(lark.content.text).toMatch(/\/p\/INBX\/INBX-2$/);

    // The log shows it delivered: the receiver answers before the log is written, so wait for the
    // log itself (both hooks), then reload.
    const until = Date.now() + 20_000;
    const logged = async () => ((await (await api('/api/v1/projects/INBX/webhooks', { auth: admin })).json()) as { recent: { delivered: number } }[])
      .every((h) => h.recent.delivered >= 1);
    while (!(await logged()) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    await page.goto('/p/INBX/webhooks');
    const hook = page.getByTestId('webhook').first();
    expect(await hook.textContent()).toContain('Status changed · Commented');
    expect(await hook.textContent()).toContain('1 delivered · 0 failed · 0 pending');
    await hook.locator('summary').click();
    expect(await hook.locator('table tbody tr').first().textContent()).toMatch(/Status changed.*INBX-2.*Delivered.*1.*200/);
    expect(await page.getByTestId('secret').count()).toBe(0); // shown once only
    await screenshot(page, 'webhooks-en-desktop');

    await Promise.all([page.waitForEvent('load'), hook.getByRole('button', { name: 'Pause' }).click()]);
    expect(await page.getByTestId('webhook-done').textContent()).toBe('Paused: nothing is sent until you resume it.');
    expect(await page.getByTestId('webhook').first().textContent()).toContain('Paused');
    // Delete asks first: Cancel keeps it; "Delete webhook" deletes it with its log.
    const second = page.getByTestId('webhook').nth(1);
    await second.getByRole('link', { name: 'Delete' }).click();
    expect(await page.locator('dialog[open]').textContent()).toContain('Its delivery log is deleted with it.');
    await page.locator('dialog[open]').getByRole('link', { name: 'Cancel' }).click();
    expect(await page.locator('dialog[open]').count()).toBe(0);
    expect(await page.getByTestId('webhook').count()).toBe(2);
    await second.getByRole('link', { name: 'Delete' }).click();
    await Promise.all([page.waitForEvent('load'), page.locator('dialog[open]').getByRole('button', { name: 'Delete webhook' }).click()]);
    expect(await page.getByTestId('webhook').count()).toBe(1);
    expect(await page.getByTestId('webhook-done').textContent()).toBe('Deleted the webhook and its delivery log.');
    const listed = (await (await api('/api/v1/projects/INBX/webhooks', { auth: admin })).json()) as { active: boolean; format: string }[];
    expect(listed).toMatchObject([{ format: 'lark', active: false }]);
    await page.context().close();

    const zh = await signedInPage(browser, { locale: 'zh-CN' });
    await zh.goto('/p/INBX/webhooks');
    expect(await zh.locator('h1').textContent()).toBe('INBX 的 Webhook');
    await zh.getByTestId('webhook').first().locator('summary').click();
    await screenshot(zh, 'webhooks-zh-desktop');
    // On a phone each delivery is a card: nothing to scroll sideways, its status and Resend in view.
    await zh.setViewportSize({ width: 390, height: 844 });
    expect(await zh.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    const deliveries = zh.locator('table.deliveries');
    expect(await deliveries.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    expect(await zh.getByTestId('delivery').first().textContent()).toContain('已送达');
    await screenshot(zh, 'webhooks-zh-phone');
    // Without JavaScript, Delete opens the same confirmation on the page.
    const hookId = ((await (await api('/api/v1/projects/INBX/webhooks', { auth: admin })).json()) as { id: number }[])[0]!.id;
    await zh.goto(`/p/INBX/webhooks?delete-webhook=${hookId}`);
    expect(await zh.getByTestId('webhook-delete-confirm').first().textContent()).toContain('删除此 Webhook？');
    await zh.context().close();

    // The same over the API: created (secret once), its log, refused for editors.
    const created = await api('/api/v1/projects/INBX/webhooks', { method: 'POST', auth: admin, json: { url: `http://127.0.0.1:${receiverPort}/api-hook`, format: 'json', events: ['commented'] } });
    expect(created.status).toBe(201);
    const hookJson = (await created.json()) as { id: number; url: string; format: string; events: string[]; secret: string };
    expect(hookJson).toMatchObject({ url: `http://127.0.0.1:${receiverPort}/api-hook`, format: 'json', events: ['commented'], secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await asReporter('/api/v1/requirements/INBX-2/comments', { comment: 'ping' })).status).toBe(201);
    const logDeadline = Date.now() + 20_000;
    let log: { status: string; event: string; requirement: string; attempts: number; responseStatus: number }[] = [];
    while (Date.now() < logDeadline && log[0]?.status !== 'delivered') {
      log = (await (await api(`/api/v1/projects/INBX/webhooks/${hookJson.id}/deliveries`, { auth: admin })).json()) as typeof log;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(log).toMatchObject([{ status: 'delivered', event: 'commented', requirement: 'INBX-2', attempts: 1, responseStatus: 200 }]);
    expect((await api(`/api/v1/projects/INBX/webhooks/${hookJson.id}`, { method: 'DELETE', auth: reporter })).status).toBe(403);
    expect((await api(`/api/v1/projects/INBX/webhooks/${hookJson.id}`, { method: 'DELETE', auth: admin })).status).toBe(204);

    // The project settings page shows the same component; its forms come back there.
    const settings = await signedInPage(browser);
    await settings.goto('/p/INBX/settings');
    expect(await settings.getByTestId('webhook').count()).toBe(1);
    await Promise.all([settings.waitForEvent('load'), settings.getByTestId('webhook').getByRole('button', { name: 'Resume' }).click()]);
    expect(new URL(settings.url()).pathname).toBe('/p/INBX/settings');
    expect(await settings.getByTestId('webhook').textContent()).not.toContain('Paused');
    await settings.context().close();

    // Not for the project's editors, and a bad URL is refused with a message.
    expect((await api('/p/INBX/webhooks', { auth: reporter })).status).toBe(404);
    const bad = await api('/api/v1/projects/INBX/webhooks', { method: 'POST', auth: admin, json: { url: 'gopher://x', format: 'json' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/http/);
  });
});
