// Debian's Chromium driven by playwright-core, with the flags this sandbox needs.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN } from '../setup/server.ts';
import { base } from './http.ts';

export const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page signed in as the admin, or as `as` (another user's e-mail and password). */
export async function signedInPage(browser: Browser, opts: { locale?: string; viewport?: { width: number; height: number }; as?: { email: string; password: string }; colorScheme?: 'light' | 'dark' } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: base(), locale: opts.locale ?? 'en-US', viewport: opts.viewport ?? { width: 1280, height: 860 }, colorScheme: opts.colorScheme ?? 'light' });
  const page = await context.newPage();
  await page.goto('/login');
  const who = opts.as ?? ADMIN;
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}
