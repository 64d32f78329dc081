// Single sign-on against a real OpenID Connect provider running in the test setup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot } from './browser.ts';
import { api, signIn } from './http.ts';
import { SSO_GROUP } from '../setup/oidc.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

describe('sign-in with the identity provider', () => {
  it('creates the user on first sign-in, syncs groups from the claim, and returns to the page asked for', async () => {
    const { token: admin } = await signIn();
    expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'sso-only', name: 'SSO only', kind: 'general', visibility: 'restricted' } })).status).toBe(201);
    expect((await api('/api/v1/pages/sso-only/welcome', { method: 'PUT', auth: admin, json: { title: 'Welcome, engineers', markdown: 'Hello.' } })).status).toBe(201);

    const context = await browser.newContext({ baseURL: process.env.TEST_BASE_URL });
    const page = await context.newPage();
    await page.goto('/s/sso-only/welcome');
    await page.getByRole('link', { name: 'Company SSO' }).click();
    await page.locator('input[name=login]').fill('yuki');
    await page.locator('input[name=password]').fill('anything');
    await page.locator('button[type=submit]').click();
    await page.locator('button[type=submit]').click(); // the provider's consent screen
    await page.waitForURL((u) => u.pathname.startsWith('/s/sso-only'));
    // The group came from the claim; granting it now lets the new user read the page.
    expect(await page.locator('h1').first().textContent()).not.toBe('Welcome, engineers');
    const grant = await api('/api/v1/spaces/sso-only/grants', { method: 'PUT', auth: admin, json: [{ group: SSO_GROUP, role: 'reader' }] });
    expect(grant.status).toBe(200);
    await page.reload();
    expect(await page.locator('h1').first().textContent()).toBe('Welcome, engineers');
    expect(await page.locator('.usernav').getByRole('button', { name: 'Sign out' }).getAttribute('title')).toBe('yuki@sso.example.com');
    await screenshot(page, 'sso-signed-in-en-desktop');
    const audit = (await (await api('/api/v1/audit?action=space.grants', { auth: admin })).json()) as { after: unknown }[];
    expect(audit[0]!.after).toEqual([{ group: SSO_GROUP, role: 'reader' }]);
    await context.close();
  });

  it('refuses a callback with an unknown state', async () => {
    const res = await api('/login/oidc/callback?code=abc&state=forged');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?error=ssoExpired');
  });

  it('shows a fixed reason on the sign-in page, never text from its URL', async () => {
    // The alert's words (the page's links carry its URL along, encoded, to come back to it).
    const text = async (query: string, lang = 'en') =>
      /<p class="notice error" role="alert">([^<]*)<\/p>/.exec(await (await api(`/login${query}`, { headers: { cookie: `lang=${lang}` } })).text())?.[1];
    expect(await text('?error=ssoExpired')).toBe('This sign-in took too long or was already used. Start again.');
    expect(await text('?error=ssoExpired', 'zh-CN')).toBe('本次登录已超时或已使用过，请重新开始。');
    const planted = await text(`?error=${encodeURIComponent('Your session expired: re-enter your password at evil.example')}`);
    expect(planted).toBe('Signing in with single sign-on failed. Try again, or ask your administrator.');
    expect(await text('?error=tooManyPageLinks')).toBe(planted);
    expect(await text('')).toBeUndefined();
  });
});
