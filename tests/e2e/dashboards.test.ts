// Dashboards and charts in pages in real Chromium: the project and cross-project dashboards with
// their charts and tables, a filter applied through the form, CSV downloads clicked, bad queries
// answered with a clear 400, pages embedding live charts (from the weekly-report template too),
// and a reader who may not read the project seeing a placeholder without figures. Screenshots
// desktop and phone, English and Chinese, light and dark, into /tmp/shots-dashboards/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

const SHOTS = '/tmp/shots-dashboards';
const PHONE = { width: 390, height: 844 };
let browser: Browser;
let admin = '';
let nora = ''; // signed in, may not read DSH

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  nora = await userToken(admin, 'nora.dash@example.com', 'Nora Dash');
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'DSH', name: 'Delivery', owner: 'admin@example.com', visibility: 'restricted' } })).status).toBe(201);
  const submit = async (json: Record<string, unknown>) => {
    const res = await api('/api/v1/projects/DSH/requirements', { method: 'POST', auth: admin, json });
    expect(res.status).toBe(201);
    return ((await res.json()) as { key: string }).key;
  };
  const late = await submit({ title: 'Login fails on Safari', category: 'issue', due: '2020-01-31', tags: ['dsh-login'] });
  expect((await api(`/api/v1/requirements/${late}/transitions`, { method: 'POST', auth: admin, json: { to: 'closed', comment: 'Fixed in 2.3' } })).status).toBe(200);
  await submit({ title: 'Password reset mail is slow', category: 'issue', due: '2020-02-01', tags: ['dsh-login'] });
  await submit({ title: 'One-click checkout', category: 'feature', due: '2099-01-01', tags: ['checkout'] });
  await submit({ title: 'Move the payment provider', category: 'change', priority: 'urgent' });
  expect((await api('/api/v1/pages/dsh/weekly', { method: 'PUT', auth: admin, json: { title: 'Weekly delivery report', template: 'weekly-report' } })).status).toBe(201);
  const markdown = '# Charts\n\n```dossier-chart\nproject: DSH\nmetric: by-category\ntype: bar\n```\n\n```dossier-chart\nproject: DSH\nmetric: happiness\n```\n';
  expect((await api('/api/v1/pages/guide/dashboard-charts', { method: 'PUT', auth: admin, json: { title: 'Dashboard charts', markdown } })).status).toBe(201);
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => { await browser?.close(); });

const go = (page: Page, click: () => Promise<unknown>) => Promise.all([page.waitForEvent('load'), click()]);
/** The rows of a chart's table as "label value…" lines. */
const tableRows = (page: Page, metric: string) => page.locator(`[data-metric="${metric}"] .chart-table tbody tr`).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
async function csvOf(page: Page, metric: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-metric="${metric}"] a.chart-csv`).click()]);
  return fs.readFileSync((await download.path())!, 'utf8');
}

describe('project dashboard', () => {
  it('shows every chart with its table, filters through the form, and downloads CSV', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/DSH');
    await go(page, () => page.getByRole('navigation', { name: /DSH/ }).getByRole('link', { name: 'Dashboard' }).click());
    expect(new URL(page.url()).pathname).toBe('/p/DSH/dashboard');
    await expect(page.getByRole('link', { name: 'Dashboard', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    expect(await page.locator('.chart-card').count()).toBe(8);
    expect(await page.locator('.chart-card svg[role=img]').count()).toBeGreaterThanOrEqual(6);
    expect(await tableRows(page, 'by-status')).toEqual(['Open 1', 'Submitted 2']);
    expect(await tableRows(page, 'overdue-assignee')).toEqual([expect.stringMatching(/ 1$/)]);
    expect((await page.getByTestId('dash-figures').innerText()).replace(/\s+/g, ' ')).toContain('0 of 1 done with a due date');

    await page.getByTestId('dash-filters').getByLabel('Category').selectOption('issue');
    await go(page, () => page.getByRole('button', { name: 'Apply' }).click());
    expect(new URL(page.url()).searchParams.get('category')).toBe('issue');
    expect(await tableRows(page, 'by-status')).toEqual(['Open 1']);
    expect(await tableRows(page, 'by-category')).toEqual(['Customer issue 2']);

    const csv = await csvOf(page, 'by-category');
    expect(csv).toBe('\uFEFF"Category","Items"\r\n"Customer issue","2"\r\n');
    await go(page, () => page.getByRole('link', { name: 'Reset' }).click());
    expect(new URL(page.url()).search).toBe('');
    expect(await tableRows(page, 'by-status')).toEqual(['Open 1', 'Submitted 2']);
    // The tag filter matches as the desk does: case, width, and the project's aliases (登录 = dsh-login).
    expect((await api('/api/v1/projects/DSH/tag-aliases', { method: 'PUT', auth: admin, json: { aliases: { 登录: 'dsh-login' } } })).status).toBe(200);
    for (const tag of ['ＤＳＨ-Login', '登录']) {
      await page.getByTestId('dash-filters').getByLabel('Tag').fill(tag);
      await go(page, () => page.getByRole('button', { name: 'Apply' }).click());
      expect(await tableRows(page, 'by-tag')).toEqual(['dsh-login 2']);
      expect(await tableRows(page, 'by-status')).toEqual(['Open 1']);
    }
    await go(page, () => page.getByRole('link', { name: 'Reset' }).click());
    // The API gives the same numbers.
    const json = await (await api('/api/v1/projects/DSH/dashboard?category=issue', { auth: admin })).json() as { byCategory: Record<string, number>; onTime: { done: number; withDue: number; onTime: number } };
    expect(json.byCategory).toEqual({ issue: 2 });
    expect(json.onTime).toMatchObject({ done: 1, withDue: 1, onTime: 0 });
    await page.context().close();
  });

  it('points a quiet period to the latest activity, and its link shows the figures', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/DSH/dashboard?to=2026-01-31&category=issue');
    const today = new Date().toISOString().slice(0, 10);
    await expect(page.getByTestId('dash-quiet').innerText()).resolves.toContain(`the latest was on ${today}`);
    await go(page, () => page.getByRole('link', { name: 'Show the 12 weeks up to it' }).click());
    const url = new URL(page.url());
    expect([url.searchParams.get('to'), url.searchParams.get('weeks'), url.searchParams.get('category')]).toEqual([today, '12', 'issue']);
    expect(await page.getByTestId('dash-quiet').count()).toBe(0);
    expect(await tableRows(page, 'by-category')).toEqual(['Customer issue 2']);
    await page.context().close();
    const zh = await signedInPage(browser, { locale: 'zh-CN' });
    await zh.goto('/p/DSH/dashboard?to=2026-01-31');
    await expect(zh.getByTestId('dash-quiet-link').innerText()).resolves.toBe('查看截至那天的 12 周');
    await zh.context().close();
  });

  it('answers a bad query with a clear 400 on the page and in the API, never a 5xx', async () => {
    const page = await signedInPage(browser);
    const res = await page.goto('/p/DSH/dashboard?weeks=1000000000');
    expect(res!.status()).toBe(400);
    await expect(page.getByTestId('dash-error').innerText()).resolves.toContain('weeks: a whole number from 1 to 104');
    await page.context().close();
    for (const q of ['weeks=1000000000', 'from=1990-01-01&to=2040-01-01', 'colour=red', 'priority=whenever']) {
      const r = await api(`/api/v1/projects/DSH/dashboard?${q}`, { auth: admin });
      expect(r.status, q).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBeTruthy();
    }
    expect((await api('/api/v1/projects/DSH/dashboard', { auth: nora })).status).toBe(404);
    expect((await api('/api/v1/projects/DSH/dashboard.csv?metric=nope', { auth: admin })).status).toBe(400);
  });
});

describe('cross-project dashboard', () => {
  it('covers the projects its viewer may read, filters, and downloads CSV', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p');
    await go(page, () => page.getByRole('link', { name: 'Dashboard: all projects' }).click());
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    expect(await page.locator('.chart-card').count()).toBe(8);
    await page.getByTestId('dash-filters').getByLabel('Tag').fill('dsh-login');
    await go(page, () => page.getByRole('button', { name: 'Apply' }).click());
    expect(new URL(page.url()).searchParams.get('tag')).toBe('dsh-login');
    expect(await tableRows(page, 'by-tag')).toEqual(['dsh-login 2']);
    expect(await csvOf(page, 'by-tag')).toContain('"dsh-login","2"');
    // The category is chosen from the categories of the projects one may read, as on a project's dashboard.
    const category = page.getByTestId('dash-filters').getByLabel('Category');
    expect(await category.locator('option').allInnerTexts()).toEqual(expect.arrayContaining(['Any', 'Customer issue', 'Feature request', 'Change request']));
    await category.selectOption('issue');
    await go(page, () => page.getByRole('button', { name: 'Apply' }).click());
    expect(new URL(page.url()).searchParams.get('category')).toBe('issue');
    expect(await category.inputValue()).toBe('issue');
    expect((await tableRows(page, 'by-category')).map((r) => r.replace(/ \d+$/, ''))).toEqual(['Customer issue']);
    // Nora reads no project with requirements: her dashboard counts nothing of DSH.
    const hers = await (await api('/api/v1/dashboard?tag=dsh-login', { auth: nora })).json() as { byTag: Record<string, number> };
    expect(hers.byTag).toEqual({});
    await page.context().close();
  });
});

describe('charts inside pages', () => {
  it('draws live charts from the weekly-report template and from a block, with an error box for a bad block', async () => {
    const page = await signedInPage(browser);
    await page.goto('/s/dsh/weekly');
    expect(await page.locator('article .dossier-chart-live svg[role=img]').count()).toBe(4);
    await page.goto('/s/guide/dashboard-charts');
    expect(await tableRows(page, 'by-category')).toEqual(['Customer issue 2', 'Change request 1', 'Feature request 1']);
    await expect(page.locator('.dossier-chart-error[role=alert]').innerText()).resolves.toContain('metric: one of on-time');
    // It stays current without saving the page again.
    expect((await api('/api/v1/projects/DSH/requirements', { method: 'POST', auth: admin, json: { title: 'Refund API', category: 'feature' } })).status).toBe(201);
    await page.reload();
    expect(await tableRows(page, 'by-category')).toEqual(['Feature request 2', 'Customer issue 2', 'Change request 1']);
    await go(page, () => page.getByRole('link', { name: 'Open the DSH dashboard' }).click());
    expect(new URL(page.url()).pathname).toBe('/p/DSH/dashboard');
    await page.context().close();
    // Nora may read the page but not the project: a placeholder, no figures.
    const hers = await (await api('/api/v1/pages/guide/dashboard-charts', { auth: nora })).json() as { html: string };
    expect(hers.html).toContain('data-testid="chart-hidden"');
    expect(hers.html).not.toMatch(/<svg|<table|Customer issue/);
  });
});

describe('screenshots', () => {
  it('desktop and phone, English and Chinese, light and dark; nothing wider than the phone', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', PHONE]] as const) {
          const page = await signedInPage(browser, { locale, colorScheme, viewport });
          for (const [name, url] of [['project', '/p/DSH/dashboard'], ['all', '/dashboard?weeks=8'], ['page', '/s/dsh/weekly']] as const) {
            await page.goto(url);
            if (device === 'phone') {
              const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
              expect(overflow, `${url} is wider than the phone`).toBeLessThanOrEqual(0);
            }
            await page.screenshot({ path: path.join(SHOTS, `${name}-${locale}-${colorScheme}-${device}.png`), fullPage: true });
          }
          await page.context().close();
        }
      }
    }
    expect(fs.readdirSync(SHOTS).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(24);
  }, 600_000);
});
