// A Lark message-card webhook added through the form in Chinese, delivered to a real receiver in
// this process: Chinese text with the project's names, the assignee @-mentioned from their
// profile, and a Nudge button whose link opens the requirement page at its nudge form, where a
// signed-in person nudges with one click.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;
let admin = '';
let receiver: http.Server;
let port = 0;
const received: { path: string; body: string }[] = [];

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  const password = 'a long assignee password 9';
  expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: 'sun.li.card@example.com', name: '孙丽', password } })).status);
  const sun = (await signIn({ email: 'sun.li.card@example.com', password })).token;
  expect((await api('/api/v1/account', { method: 'PATCH', auth: sun, json: { larkOpenId: 'ou_5ad573a6411d72b8305fda3a9c15c70e' } })).status).toBe(200);
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'CARD', name: '卡片演示', owner: 'sun.li.card@example.com', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/card/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'sun.li.card@example.com', role: 'editor' }] })).status).toBe(200);
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { received.push({ path: req.url ?? '', body }); res.end('ok'); });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  fs.mkdirSync('/tmp/shots-mail', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  receiver?.close();
});

const submit = (page: Page, name: string) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);

describe('Lark message card', () => {
  it('is added in Chinese through the form, @-mentions the assignee, and its Nudge button leads to a one-click nudge', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/p/CARD/webhooks');
    await page.getByLabel('URL').fill(`http://127.0.0.1:${port}/card`);
    await page.getByLabel('飞书消息卡片').check();
    await page.getByLabel('消息语言').selectOption('zh-CN');
    await submit(page, '添加 Webhook');
    const hook = page.getByTestId('webhook').first();
    expect(await hook.textContent()).toContain('飞书消息卡片');
    expect(await hook.textContent()).toContain('中文');
    expect((await (await api('/api/v1/projects/CARD/webhooks', { auth: admin })).json())).toMatchObject([{ format: 'lark-card', language: 'zh-CN' }]);
    await screenshot(page, 'webhook-card-zh');
    await page.screenshot({ path: '/tmp/shots-mail/webhook-card-zh.png', fullPage: true });

    const made = await api('/api/v1/projects/CARD/requirements', { method: 'POST', auth: admin, json: { title: '退款审批加速', category: 'issue', priority: 'high' } });
    expect(made.status).toBe(201);
    const { key } = (await made.json()) as { key: string };
    const deadline = Date.now() + 20_000;
    while (!received.some((r) => r.path === '/card') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const card = JSON.parse(received.find((r) => r.path === '/card')!.body);
    expect(card.msg_type).toBe('interactive');
    expect(card.card.header.title.content).toBe(`${key} 退款审批加速`);
    expect(card.card.elements[0].text.content).toMatch(/ 提交了问题，处理人：孙丽$/);
    expect(card.card.elements[1].fields[1].text.content).toBe('**处理人**\n<at id=ou_5ad573a6411d72b8305fda3a9c15c70e></at>');
    const [open, nudgeButton] = card.card.elements[2].actions as { url: string; text: { content: string } }[];
    expect([open!.text.content, nudgeButton!.text.content]).toEqual(['查看', '催办']);
    const target = new URL(nudgeButton!.url);
    expect(`${target.pathname}${target.hash}`).toBe(`/p/CARD/${key}#nudge`);

    // Following the button: the requirement page at its nudge form; one click nudges.
    await page.goto(`${target.pathname}${target.hash}`);
    expect(await page.evaluate(() => document.querySelector('#nudge:target') !== null)).toBe(true);
    await Promise.all([page.waitForEvent('load'), page.locator('#nudge').getByRole('button', { name: '催办' }).click()]);
    const view = (await (await api(`/api/v1/requirements/${key}`, { auth: admin })).json()) as { events: { kind: string }[] };
    expect(view.events.map((e) => e.kind)).toContain('nudged');
    await page.context().close();
  });
});
