// A page shows the requirements it names, with their live status, in both languages; the header
// leads to projects, my work and the inbox with its unread count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;
let admin = '';
beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
});
afterAll(() => browser.close());

describe('requirements on pages', () => {
  it('marks each requirement key in the demo review with its current status, and lists them', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/s/atlas/requirements-review');
    const link = page.locator('article.prose a.req-ref[data-req="ATL-3"]').first();
    await expect(link.getAttribute('href')).resolves.toBe('/p/ATL/ATL-3');
    const status = (await (await api('/api/v1/requirements/ATL-3', { auth: admin })).json()) as { statusName: { zh: string } };
    expect(await page.locator('article.prose a.req-ref[data-req="ATL-3"] + .status-badge').first().textContent()).toBe(status.statusName.zh);
    const listed = page.locator('section.page-requirements li');
    expect(await listed.count()).toBeGreaterThan(5);
    expect(await page.locator('section.page-requirements').textContent()).toContain('ATL-3');
    await screenshot(page, 'page-requirements-zh-desktop');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'page-requirements-zh-phone');
    await link.click();
    await page.waitForURL('**/p/ATL/ATL-3');
    expect(await page.locator('h1').textContent()).toContain('ATL-3');
    await page.context().close();
  });

  it('shows a live status change on the page at once', async () => {
    // The first requirement named on the page that has a move with no gate to meet.
    let key = '';
    let to = '';
    for (let n = 1; n <= 17 && !key; n++) {
      const r = (await (await api(`/api/v1/requirements/ATL-${n}`, { auth: admin })).json()) as { next: { to: string; requires: string[] }[] };
      const free = r.next.find((x) => x.requires.length === 0);
      if (free) { key = `ATL-${n}`; to = free.to; }
    }
    expect(key, 'a demo requirement with an ungated move').not.toBe('');
    expect((await api(`/api/v1/requirements/${key}/transitions`, { method: 'POST', auth: admin, json: { to } })).status).toBe(200);
    const after = (await (await api(`/api/v1/requirements/${key}`, { auth: admin })).json()) as { statusName: { en: string } };
    const page = await signedInPage(browser);
    await page.goto('/s/atlas/requirements-review');
    expect(await page.locator(`article.prose a.req-ref[data-req="${key}"] + .status-badge`).first().textContent()).toBe(after.statusName.en);
    await screenshot(page, 'page-requirements-en-desktop');
    await page.context().close();
  });

  it('puts projects, my work and the inbox with its unread count in the header', async () => {
    const page = await signedInPage(browser);
    const { unread } = (await (await api('/api/v1/notifications', { auth: admin })).json()) as { unread: number };
    const badge = page.locator('header .inbox-link .count');
    if (unread > 0) expect(await badge.textContent()).toBe(unread > 99 ? '99+' : String(unread));
    else expect(await badge.count()).toBe(0);
    for (const [name, path] of [['Projects', '/p'], ['My work', '/my'], ['Inbox', '/inbox']]) {
      await page.locator('header nav.usernav a', { hasText: name }).first().click();
      await page.waitForURL(`**${path}`);
      expect(await page.locator(`header nav.usernav a[href="${path}"]`).getAttribute('aria-current')).toBe('page');
    }
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'header-en-phone');
    await page.context().close();
  });
});
