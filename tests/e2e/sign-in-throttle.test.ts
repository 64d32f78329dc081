// Sign-in throttling through the built server. The test server trusts 127.0.0.1 as a proxy
// (DOSSIER_TRUSTED_PROXIES in tests/setup/server.ts), so requests from there choose their client
// address with X-Forwarded-For; requests from 127.0.0.2 are an untrusted peer.
import http from 'node:http';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../setup/server.ts';
import { launch } from './browser.ts';
import { api, base, signIn } from './http.ts';

const TARGET = { email: 'throttled@example.com', password: 'throttled has a long password' };
const WITNESS = { email: 'witness@example.com', password: 'witness has a long password' };

/** POST /api/v1/session from 127.0.0.1 as the proxy for `from`. */
function session(creds: { email: string; password: string }, from: string): Promise<Response> {
  return api('/api/v1/session', { method: 'POST', json: creds, headers: { 'x-forwarded-for': from } });
}

/** POST /api/v1/session from the untrusted peer 127.0.0.2, which claims to forward for `claimed`. */
function sessionFromUntrusted(creds: { email: string; password: string }, claimed: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base()}/api/v1/session`, {
      method: 'POST', localAddress: '127.0.0.2', headers: { 'content-type': 'application/json', 'x-forwarded-for': claimed },
    }, (res) => { res.resume(); resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] }); });
    req.on('error', reject);
    req.end(JSON.stringify(creds));
  });
}

const wrong = (email: string, i = 0) => ({ email, password: `wrong guess ${i}` });
const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000 + 100));

let admin = '';
let browser: Browser;
beforeAll(async () => {
  ({ token: admin } = await signIn());
  for (const user of [TARGET, WITNESS]) {
    expect((await api('/api/v1/users', { method: 'POST', auth: admin, json: { ...user, name: user.email } })).status).toBe(201);
  }
  browser = await launch();
});
afterAll(async () => { await browser?.close(); });

describe('sign-in throttling over HTTP', () => {
  it('holds back one (account, address) pair with a growing Retry-After; the account elsewhere and others there still sign in; success resets', async () => {
    for (let i = 0; i < 5; i++) expect((await session(wrong(TARGET.email, i), '203.0.113.10')).status).toBe(401);
    const first = await session(TARGET, '203.0.113.10');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    expect(await first.json()).toMatchObject({ error: expect.stringMatching(/Too many failed sign-ins/), retryAfter: 1 });
    // Still held back: the right password is not even checked.
    expect((await session(TARGET, '203.0.113.10')).status).toBe(429);
    await sleep(1);
    expect((await session(wrong(TARGET.email), '203.0.113.10')).status).toBe(401);
    const second = await session(TARGET, '203.0.113.10');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('2');

    expect((await session(TARGET, '203.0.113.11')).status).toBe(200);
    expect((await session(WITNESS, '203.0.113.10')).status).toBe(200);
    expect((await session(ADMIN, '203.0.113.10')).status).toBe(200);

    await sleep(2);
    expect((await session({ ...TARGET, email: ' Throttled@Example.com ' }, '203.0.113.10')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await session(wrong(TARGET.email, i), '203.0.113.10')).status).toBe(401);
    expect((await session(TARGET, '203.0.113.10')).status).toBe(200); // 10 failures, but the success in between reset the pair
  });

  it('does not believe X-Forwarded-For from an untrusted peer: changing it on every try does not escape', async () => {
    for (let i = 0; i < 5; i++) expect((await sessionFromUntrusted(wrong(WITNESS.email, i), `192.0.2.${100 + i}`)).status).toBe(401);
    const held = await sessionFromUntrusted(WITNESS, '192.0.2.200');
    expect(held).toEqual({ status: 429, retryAfter: '1' });
    // Through the trusted proxy the same account from a fresh address is a fresh pair.
    expect((await session(WITNESS, '192.0.2.200')).status).toBe(200);
  });

  it('a flood from one address holds back only pairs that failed there: the admin signs in from there and from elsewhere', async () => {
    const flood = '198.51.100.99';
    expect((await session(wrong(WITNESS.email), flood)).status).toBe(401);
    for (let batch = 0; batch < 11; batch++) {
      const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => session(wrong(`nobody${batch * 10 + i}@example.com`), flood).then((r) => r.status)));
      expect(statuses).toEqual(Array(10).fill(401)); // unknown accounts with no failures there: each still gets its one try
    }
    const held = await session(WITNESS, flood);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(120); // 111 failures: the address waits ~15 minutes
    expect((await session(ADMIN, flood)).status).toBe(200);
    expect((await session(ADMIN, '198.51.100.100')).status).toBe(200);
    expect((await session(WITNESS, '198.51.100.100')).status).toBe(200);
  });

  it('the login page says how long to wait, in English and in Chinese, and still signs in a clean pair from that address', async () => {
    for (const [locale, message] of [['en-US', /Try again in \d+ minutes/], ['zh-CN', /请 \d+ 分钟后再试/]] as const) {
      const context = await browser.newContext({ baseURL: base(), locale, extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.99' } });
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByRole('textbox', { name: locale === 'en-US' ? 'Email' : '邮箱' }).fill(WITNESS.email);
      await page.locator('input[name=password]').fill(WITNESS.password);
      const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.locator('form.form button[type=submit]').click()]);
      expect(response.status()).toBe(429);
      expect(Number(response.headers()['retry-after'])).toBeGreaterThan(120);
      await expect.poll(() => page.getByRole('alert').textContent()).toMatch(message);
      await page.locator('input[name=email]').fill(ADMIN.email);
      await page.locator('input[name=password]').fill(ADMIN.password);
      await page.locator('form.form button[type=submit]').click();
      await page.waitForURL((url) => url.pathname === '/');
      await context.close();
    }
  });
});
