// Row-level visibility in real Chromium against the real server: an editor restricts a requirement
// and names a viewer on its page, a project admin restricts a category on the settings page; the
// lock shows where it is listed, the allowed see it, everyone else gets exactly the 404 of a
// missing requirement (page, API, list, search). Screenshots desktop and phone, English and Chinese.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage } from './browser.ts';
import { api, signIn, waitForSearch } from './http.ts';

const SHOTS = '/tmp/shots-rowlevel';
const shot = screenshotsIn(SHOTS);
const PASSWORD = 'a long enough password 42';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const person = (name: string) => ({ email: `${name}.rowlevel@example.com`, name: `${name[0]!.toUpperCase()}${name.slice(1)} Rowlevel`, password: PASSWORD });
const RITA = person('rita'); // editor, the reporter
const OTTO = person('otto'); // another editor
const VERA = person('vera'); // a reader, added as a viewer
const tokens = {} as Record<'admin' | 'rita' | 'otto' | 'vera', string>;
let browser: Browser;

const go = (page: Page, click: () => Promise<unknown>) => Promise.all([page.waitForEvent('load'), click()]);
const statusOf = async (url: string, token: string) => (await api(url, { auth: token })).status;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
  tokens.admin = (await signIn()).token;
  for (const [key, p] of [['rita', RITA], ['otto', OTTO], ['vera', VERA]] as const) {
    expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: tokens.admin, json: p })).status);
    tokens[key] = (await signIn(p)).token;
  }
  expect((await api('/api/v1/projects', { method: 'POST', auth: tokens.admin, json: { key: 'RL', name: 'Retention', owner: 'admin@example.com' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/rl/grants', { method: 'PUT', auth: tokens.admin, json: [
    { user: 'admin@example.com', role: 'admin' }, { user: RITA.email, role: 'editor' }, { user: OTTO.email, role: 'editor' }, { user: VERA.email, role: 'reader' },
  ] })).status).toBe(200);
  for (const title of ['Quarterly churn numbers', 'Public onboarding checklist']) {
    expect((await api('/api/v1/projects/RL/requirements', { method: 'POST', auth: tokens.rita, json: { title, category: 'feature', description: `About ${title.toLowerCase()}.` } })).status).toBe(201);
  }
});
afterAll(async () => { await browser?.close(); });

describe('restricting a requirement on its page', () => {
  it('an editor turns on "Restricted", names a viewer, and sees the lock', async () => {
    const page = await signedInPage(browser, { as: RITA, viewport: DESKTOP });
    await page.goto('/p/RL/RL-1');
    await expect(page.getByTestId('visibility-state').innerText()).resolves.toContain('Everyone who can read the project');
    // An unknown viewer is refused with the reason, and nothing changes.
    await page.getByLabel('Restricted', { exact: true }).check();
    await page.getByLabel(/Also visible to/).fill('nobody@example.com');
    await go(page, () => page.getByRole('button', { name: 'Save visibility' }).click());
    await expect(page.getByRole('alert').innerText()).resolves.toContain('nobody@example.com');
    expect(((await (await api('/api/v1/requirements/RL-1', { auth: tokens.rita })).json()) as { restricted: boolean }).restricted).toBe(false);
    // The form kept what was typed; put the right viewer in.
    await expect(page.getByLabel('Restricted', { exact: true }).isChecked()).resolves.toBe(true);
    await page.getByLabel(/Also visible to/).fill(VERA.email);
    await go(page, () => page.getByRole('button', { name: 'Save visibility' }).click());
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Visibility saved.');
    await expect(page.locator('.req-head').getByTestId('restricted-badge').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel(/Also visible to/).inputValue()).resolves.toBe(VERA.email);
    await shot(page, 'requirement-en-desktop');
    await go(page, () => page.goto('/p/RL'));
    await expect(page.locator('tr[data-key="RL-1"]').getByTestId('restricted-badge').isVisible()).resolves.toBe(true);
    await expect(page.locator('tr[data-key="RL-2"]').getByTestId('restricted-badge').count()).resolves.toBe(0);
    await shot(page, 'list-en-desktop');
    await page.context().close();
  });

  it('the viewer sees it; another editor gets the 404 of a missing requirement everywhere', async () => {
    expect(await statusOf('/api/v1/requirements/RL-1', tokens.vera)).toBe(200);
    expect(await statusOf('/api/v1/requirements/RL-1', tokens.otto)).toBe(404);
    const [hidden, missing] = await Promise.all(['/api/v1/requirements/RL-1', '/api/v1/requirements/RL-99'].map(async (u) => (await api(u, { auth: tokens.otto })).text()));
    expect(hidden).toBe(missing);
    const otto = await signedInPage(browser, { as: OTTO });
    const res = await otto.goto('/p/RL/RL-1');
    expect(res!.status()).toBe(404);
    await otto.goto('/p/RL');
    await expect(otto.locator('tr[data-key="RL-1"]').count()).resolves.toBe(0);
    await expect(otto.locator('tr[data-key="RL-2"]').count()).resolves.toBe(1);
    await otto.goto('/p/RL/board');
    await expect(otto.getByText('Quarterly churn numbers').count()).resolves.toBe(0);
    // Writing to it is a 404 too, never a 403 that would confirm it exists.
    expect((await api('/api/v1/requirements/RL-1', { method: 'PATCH', auth: tokens.otto, json: { title: 'mine' } })).status).toBe(404);
    expect((await api('/api/v1/requirements/RL-1/comments', { method: 'POST', auth: tokens.otto, json: { comment: 'hi' } })).status).toBe(404);
    const csv = await (await api('/api/v1/projects/RL/requirements.csv', { auth: tokens.otto })).text();
    expect(csv).toContain('RL-2');
    expect(csv).not.toContain('churn');
    await otto.context().close();

    const vera = await signedInPage(browser, { as: VERA });
    await vera.goto('/p/RL/RL-1');
    await expect(vera.locator('.req-head').getByTestId('restricted-badge').isVisible()).resolves.toBe(true);
    // A reader sees who else may see it, but gets no form.
    await expect(vera.getByTestId('visibility').innerText()).resolves.toContain(VERA.name);
    await expect(vera.getByTestId('restricted-toggle').count()).resolves.toBe(0);
    await vera.context().close();
  });

  it('search finds it for the viewer and not for the other editor', async () => {
    await waitForSearch(tokens.vera, 'churn', 'RL-1 Quarterly churn numbers');
    const hits = async (token: string) => ((await (await api('/api/v1/search?q=churn', { auth: token })).json()) as { hits: { path: string }[]; total: number });
    expect((await hits(tokens.otto)).hits.map((h) => h.path)).not.toContain('RL-1');
    expect((await hits(tokens.otto)).total).toBe(0);
  });
});

describe('restricting a category on project settings', () => {
  it('a project admin ticks "Customer issue"; its requirements get the lock and leave other editors\' lists', async () => {
    const page = await signedInPage(browser, { viewport: DESKTOP });
    await page.goto('/p/RL/settings');
    await page.getByLabel('Restrict Customer issue').check();
    await go(page, () => page.getByRole('button', { name: 'Save restrictions' }).click());
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Saved');
    await expect(page.getByLabel('Restrict Customer issue').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Restrict Feature request').isChecked()).resolves.toBe(false);
    const categories = (await (await api('/api/v1/projects/RL/categories', { auth: tokens.admin })).json()) as { key: string; restricted?: boolean }[];
    expect(categories.map((c) => [c.key, c.restricted ?? false])).toEqual([['feature', false], ['change', false], ['issue', true]]);
    await shot(page, 'settings-en-desktop');

    expect((await api('/api/v1/projects/RL/requirements', { method: 'POST', auth: tokens.rita, json: { title: 'Customer cannot log in', category: 'issue' } })).status).toBe(201);
    expect(await statusOf('/api/v1/requirements/RL-3', tokens.rita)).toBe(200);
    expect(await statusOf('/api/v1/requirements/RL-3', tokens.otto)).toBe(404);
    expect(await statusOf('/api/v1/requirements/RL-3', tokens.vera)).toBe(404);
    await page.goto('/p/RL/RL-3');
    await expect(page.getByTestId('visibility-state').innerText()).resolves.toContain('Restricted by its category (Customer issue)');
    await page.goto('/p/RL/board?category=issue');
    await expect(page.locator('.req-card[data-key="RL-3"]').getByTestId('restricted-badge').isVisible()).resolves.toBe(true);
    await shot(page, 'board-en-desktop');

    // Unticking lifts it again.
    await page.goto('/p/RL/settings');
    await page.getByLabel('Restrict Customer issue').uncheck();
    await go(page, () => page.getByRole('button', { name: 'Save restrictions' }).click());
    expect(await statusOf('/api/v1/requirements/RL-3', tokens.otto)).toBe(200);
    await page.getByLabel('Restrict Customer issue').check();
    await go(page, () => page.getByRole('button', { name: 'Save restrictions' }).click());
    expect(await statusOf('/api/v1/requirements/RL-3', tokens.otto)).toBe(404);
    await page.context().close();
  });
});

describe('in Chinese, and on a phone', () => {
  it('shows the visibility panel, the lock and the category restrictions in both languages on both screens', async () => {
    for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
      for (const [screen, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const page = await signedInPage(browser, { as: RITA, locale, viewport });
        await page.goto('/p/RL/RL-1');
        await expect(page.getByTestId('visibility').innerText()).resolves.toContain(lang === 'zh' ? '可见范围' : 'Visibility');
        await expect(page.locator('.req-head').getByTestId('restricted-badge').innerText()).resolves.toContain(lang === 'zh' ? '受限' : 'Restricted');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${lang} ${screen} requirement page is wider than the screen`).toBeLessThanOrEqual(0);
        await shot(page, `requirement-${lang}-${screen}`);
        await page.goto('/p/RL');
        await shot(page, `list-${lang}-${screen}`);
        await page.context().close();
        const admin = await signedInPage(browser, { locale, viewport });
        await admin.goto('/p/RL/settings');
        await expect(admin.getByRole('heading', { name: lang === 'zh' ? '受限类别' : 'Restricted categories' }).isVisible()).resolves.toBe(true);
        await admin.getByRole('heading', { name: lang === 'zh' ? '受限类别' : 'Restricted categories' }).scrollIntoViewIfNeeded();
        await admin.screenshot({ path: path.join(SHOTS, `settings-${lang}-${screen}.png`) });
        await admin.context().close();
      }
    }
  });
});
