// Resending a delivery from a webhook's log, against the built server and a real receiver in this
// process that refuses (400, which fails a delivery at once) until told otherwise: over the API,
// then by the Resend button in Chromium, in English and Chinese. The same X-Dossier-Delivery id
// arrives again, through the delivery loop (202 answers before anything is sent).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

interface LogEntry { id: number; status: string; attempts: number; responseStatus: number | null; lastError: string | null; resentAt: string | null; requirement: string }

let browser: Browser;
let admin = '';
let editor = '';
let outsider = '';
let receiver: http.Server;
let url = '';
let refuse = true;
const received: string[] = []; // X-Dossier-Delivery of each request, in order

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  editor = await userToken(admin, 'zhao.yun@example.com', '赵云');
  outsider = await userToken(admin, 'sun.li@example.com', '孙丽');
  for (const key of ['RSND', 'RSNX']) {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key, name: `Resend ${key}`, visibility: 'restricted' } })).status).toBe(201);
  }
  expect((await api('/api/v1/spaces/rsnd/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'zhao.yun@example.com', role: 'editor' }] })).status).toBe(200);
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push(String(req.headers['x-dossier-delivery']));
      res.statusCode = refuse ? 400 : 200;
      res.end(refuse ? 'bad payload' : 'ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await browser?.close();
  receiver?.close();
});

async function addHook(project: string): Promise<number> {
  const res = await api(`/api/v1/projects/${project}/webhooks`, { method: 'POST', auth: admin, json: { url, format: 'json', events: ['commented'] } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** Polls a webhook's log until its newest delivery is in `status`. */
async function newest(project: string, hook: number, status: string): Promise<LogEntry> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const log = (await (await api(`/api/v1/projects/${project}/webhooks/${hook}/deliveries`, { auth: admin })).json()) as LogEntry[];
    if (log[0]?.status === status) return log[0];
    if (Date.now() > deadline) throw new Error(`delivery still ${log[0]?.status}, not ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const resend = (project: string, hook: number | string, delivery: number | string, auth = admin) =>
  api(`/api/v1/projects/${project}/webhooks/${hook}/deliveries/${delivery}/resend`, { method: 'POST', auth });

describe('resending a webhook delivery', () => {
  it('over the API: a failed delivery goes back to pending, is sent again with the same id and delivered', async () => {
    const hook = await addHook('RSND');
    expect((await api('/api/v1/projects/RSND/requirements', { method: 'POST', auth: admin, json: { title: 'Resend me', category: 'feature' } })).status).toBe(201);
    expect((await api('/api/v1/requirements/RSND-1/comments', { method: 'POST', auth: editor, json: { comment: 'first try' } })).status).toBe(201);
    const failed = await newest('RSND', hook, 'failed');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 400, lastError: 'HTTP 400: bad payload', resentAt: null });

    // Refused without changing anything: not an admin of the project (403), not a reader (404),
    // and a delivery that is missing or belongs to another project's webhook answer alike.
    const other = await addHook('RSNX');
    expect((await api('/api/v1/projects/RSNX/requirements', { method: 'POST', auth: admin, json: { title: 'Elsewhere', category: 'feature' } })).status).toBe(201);
    expect((await api('/api/v1/requirements/RSNX-1/comments', { method: 'POST', auth: admin, json: { comment: 'other project' } })).status).toBe(201);
    const foreign = await newest('RSNX', other, 'failed');
    expect((await resend('RSND', hook, failed.id, editor)).status).toBe(403);
    expect((await resend('RSND', hook, failed.id, outsider)).status).toBe(404);
    const missing = await resend('RSND', hook, 987654);
    const notOurs = await resend('RSND', hook, foreign.id);
    expect(missing.status).toBe(404);
    expect(notOurs.status).toBe(404);
    expect(await notOurs.text()).toBe(await missing.text());
    expect((await resend('RSND', hook, 'abc')).status).toBe(404);
    expect((await resend('RSND', other, failed.id)).status).toBe(404);
    expect(await newest('RSND', hook, 'failed')).toEqual(failed);
    expect(received).toHaveLength(2);

    // Paused: refused with a reason.
    expect((await api(`/api/v1/projects/RSND/webhooks/${hook}`, { method: 'PATCH', auth: admin, json: { active: false } })).status).toBe(200);
    const paused = await resend('RSND', hook, failed.id);
    expect(paused.status).toBe(409);
    expect(((await paused.json()) as { error: string }).error).toMatch(/paused/);
    expect((await api(`/api/v1/projects/RSND/webhooks/${hook}`, { method: 'PATCH', auth: admin, json: { active: true } })).status).toBe(200);

    refuse = false;
    const res = await resend('RSND', hook, failed.id);
    expect(res.status).toBe(202);
    const queued = (await res.json()) as LogEntry;
    expect(queued).toMatchObject({ id: failed.id, status: 'pending', attempts: 1, requirement: 'RSND-1' });
    expect(Date.parse(queued.resentAt!)).toBeGreaterThan(Date.now() - 60_000);
    const delivered = await newest('RSND', hook, 'delivered');
    expect(delivered).toMatchObject({ id: failed.id, status: 'delivered', attempts: 2, responseStatus: 200, lastError: null, resentAt: queued.resentAt });
    expect(received.filter((id) => id === String(failed.id))).toHaveLength(2);
    expect((await api('/api/v1/audit?action=webhook.resend', { auth: admin }).then((r) => r.json()) as { subject: string }[])[0]).toMatchObject({ subject: 'RSND' });
  });

  it('in Chromium: the Resend button in the log sends a failed delivery again (English), and a delivered one (Chinese)', async () => {
    refuse = true;
    expect((await api('/api/v1/requirements/RSND-1/comments', { method: 'POST', auth: editor, json: { comment: 'second try' } })).status).toBe(201);
    const hook = ((await (await api('/api/v1/projects/RSND/webhooks', { auth: admin })).json()) as { id: number }[])[0]!.id;
    const failed = await newest('RSND', hook, 'failed');
    refuse = false;

    const page = await signedInPage(browser);
    await page.goto('/p/RSND/webhooks');
    const row = await openLog(page, failed.id);
    expect(await row.textContent()).toMatch(/Failed.*HTTP 400: bad payload/);
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Resend' }).click()]);
    expect(await page.locator('[role=status]').first().textContent()).toBe('Sent again: its row in the log shows how it went.');
    expect(await newest('RSND', hook, 'delivered')).toMatchObject({ id: failed.id, attempts: 2, responseStatus: 200 });
    await page.reload();
    const done = await openLog(page, failed.id);
    expect(await done.textContent()).toMatch(/Delivered · resent .*2\s*200/);
    await screenshot(page, 'webhook-resend-en');
    await page.context().close();

    const zh = await signedInPage(browser, { locale: 'zh-CN' });
    await zh.goto('/p/RSND/webhooks');
    const sent = received.length;
    const zhRow = await openLog(zh, failed.id);
    await Promise.all([zh.waitForEvent('load'), zhRow.getByRole('button', { name: '重新发送' }).click()]);
    expect(await zh.locator('[role=status]').first().textContent()).toBe('已重新发送：结果见投递记录中的对应行。');
    const deadline = Date.now() + 20_000;
    while (received.length === sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received.at(-1)).toBe(String(failed.id));
    const again = await newest('RSND', hook, 'delivered');
    expect(again.attempts).toBe(3);
    await zh.reload();
    expect(await (await openLog(zh, failed.id)).textContent()).toMatch(/已送达 · .* 重新发送/);
    await screenshot(zh, 'webhook-resend-zh');
    await zh.context().close();
  });
});

/** Opens the first webhook's delivery log and returns the row of this delivery. */
async function openLog(page: Page, deliveryId: number) {
  const hook = page.getByTestId('webhook').first();
  await hook.locator('summary').click();
  const row = hook.getByTestId('delivery').filter({ has: page.locator(`input[name=delivery][value="${deliveryId}"]`) });
  expect(await row.count()).toBe(1);
  return row;
}
