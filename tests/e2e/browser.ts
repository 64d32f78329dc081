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

export interface PageOptions {
  locale?: string;
  viewport?: { width: number; height: number };
  /** A phone: 390 × 844, touch. */
  phone?: boolean;
  javaScript?: boolean;
  colorScheme?: 'light' | 'dark';
  /** Another user's e-mail and password; the admin otherwise. */
  as?: { email: string; password: string };
  /** A test's own server; the shared one otherwise. */
  at?: string;
}

/** A page signed in as the admin, or as `as`, in a context of its own (close it with page.context().close()). */
export async function signedInPage(browser: Browser, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: opts.at ?? base(), locale: opts.locale ?? 'en-US', javaScriptEnabled: opts.javaScript ?? true, colorScheme: opts.colorScheme ?? 'light',
    viewport: opts.phone ? { width: 390, height: 844 } : opts.viewport ?? { width: 1280, height: 860 }, isMobile: opts.phone ?? false,
  });
  const page = await context.newPage();
  await page.goto('/login');
  const who = opts.as ?? ADMIN;
  await page.locator('input[name=email]').fill(who.email);
  await page.locator('input[name=password]').fill(who.password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('form.form button[type=submit]').click()]);
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Screenshots into `dir`, taken from the top (the sticky header would sit mid-picture), the whole page unless told. */
export function screenshotsIn(dir: string): (page: Page, name: string, fullPage?: boolean) => Promise<void> {
  return async (page, name, fullPage = true) => {
    fs.mkdirSync(dir, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage });
  };
}
