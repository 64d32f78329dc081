// Printing a page (or the browser's "Save as PDF"): the print styles leave the page's own content
// and drop the screen's navigation, controls, files and comments; Chromium's PDF of it is checked too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
  const { token } = await signIn();
  expect((await api('/api/v1/pages/policies/print-check', { method: 'PUT', auth: token, json: { title: 'Printed policy 打印的制度', markdown: '## Scope\n\nApplies to everyone.\n\n## Rules\n\nBe kind.' } })).status).toBe(201);
});
afterAll(async () => { await browser?.close(); });

describe('printing a page', () => {
  it('prints the page without navigation, controls, files or comments', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/s/policies/print-check');
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['header.topbar', 'aside.sidebar', 'main .actions', '.watch-bar', '#comments', '#attachments', 'nav.toc']) {
      expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false);
    }
    expect(await page.locator('main h1').textContent()).toContain('Printed policy 打印的制度');
    expect(await page.locator('article.prose').isVisible()).toBe(true);
    // The article takes the paper's whole width rather than a column beside a tree.
    const { article, body } = await page.evaluate(() => ({ article: document.querySelector('article.prose')!.getBoundingClientRect().width, body: document.body.getBoundingClientRect().width }));
    expect(article).toBeGreaterThan(body * 0.9);
    await screenshot(page, 'print-page-zh');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.context().close();
  });
});
