// Archive in real Chromium (issue 11 part 5): the archive and unarchive buttons of a project's and a
// space's settings, the banner on every screen of an archived one, the "show archived" switch of
// the home page and the project list, and the search filter; then screenshots of each in English
// and Chinese, desktop and phone (also copied to /tmp/shots-archive/ when that folder exists).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, screenshotDir, signedInPage } from './browser.ts';
import { api, signIn, waitForSearch } from './http.ts';

let browser: Browser;
let admin = '';

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'AURA', name: 'Aurora 极光项目' } })).status).toBe(201);
  expect((await api('/api/v1/pages/aura/aurora-plan', { method: 'PUT', auth: admin, json: { title: 'Borealis plan 极光计划', markdown: 'How the borealis work runs.' } })).status).toBe(201);
  expect((await api('/api/v1/projects/AURA/requirements', { method: 'POST', auth: admin, json: { title: 'Borealis dashboard', category: 'feature' } })).status).toBe(201);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'frost', name: 'Frost archive 霜', kind: 'general' } })).status).toBe(201);
  expect((await api('/api/v1/pages/frost/notes', { method: 'PUT', auth: admin, json: { title: 'Borealis frost notes', markdown: 'Notes on borealis in frost.' } })).status).toBe(201);
  await waitForSearch(admin, 'borealis', 'Borealis frost notes');
  await waitForSearch(admin, 'borealis', 'Borealis plan 极光计划');
});
afterAll(async () => { await browser?.close(); });

const clickAndLoad = (page: Page, selector: string) => Promise.all([page.waitForEvent('load'), page.locator(selector).click()]);
const archived = async (path: string) => ((await (await api(path, { auth: admin })).json()) as { archived: boolean }).archived;
const hitTitles = (page: Page) => page.locator('ol.results a.title').allTextContents();

describe('archiving by clicking', () => {
  let page: Page;
  beforeAll(async () => { page = await signedInPage(browser); });

  it('archives a project from its settings; every project screen and its space say so', async () => {
    await page.goto('/p/AURA/settings');
    expect(await page.getByTestId('archive-toggle').textContent()).toBe('Archive');
    await page.getByTestId('archive-toggle').click(); // asks first (continuity-gaps.test.ts)
    await clickAndLoad(page, '#archive-dialog [data-testid=archive-submit]');
    expect(await archived('/api/v1/projects/AURA')).toBe(true);
    expect(await page.getByTestId('archive-toggle').textContent()).toBe('Unarchive');
    for (const screen of ['/p/AURA', '/p/AURA/board', '/p/AURA/AURA-1', '/s/aura/aurora-plan', '/s/aura']) {
      await page.goto(screen);
      expect(await page.getByTestId('archived-banner').textContent(), screen).toContain('archived');
    }
    // Read-only: no edit controls on its pages, no "new requirement", no comment box or nudge.
    await page.goto('/s/aura/aurora-plan');
    expect(await page.locator('a[href$="?edit"]').count()).toBe(0);
    expect(await page.locator('#comments textarea').count()).toBe(0);
    await page.goto('/p/AURA');
    expect(await page.locator('a[href="/p/AURA/new"]').count()).toBe(0);
    await page.goto('/p/AURA/AURA-1');
    expect(await page.locator('form.comment-form, form.nudge').count()).toBe(0);
  });

  it('archives a space from its settings', async () => {
    await page.goto('/admin/spaces/frost');
    await page.getByTestId('archive-toggle').click();
    await clickAndLoad(page, '#archive-dialog [data-testid=archive-submit]');
    expect(await archived('/api/v1/spaces/frost')).toBe(true);
    expect(await page.getByTestId('archived-banner').isVisible()).toBe(true);
  });

  it('hides archived ones from the home page and project list until "show archived" is clicked', async () => {
    await page.goto('/');
    expect(await page.locator('.cards h2').allTextContents()).not.toContain('Frost archive 霜');
    // Frost and Aurora, and any space another test file archived on this shared server.
    const shown = Number(/^Show archived \((\d+)\)$/.exec((await page.getByTestId('show-archived').textContent())!.trim())?.[1]);
    expect(shown).toBeGreaterThanOrEqual(2);
    await clickAndLoad(page, '[data-testid=show-archived]');
    expect(await page.locator('.cards h2').allTextContents()).toEqual(expect.arrayContaining(['Frost archive 霜', 'Aurora 极光项目']));
    expect(await page.locator('.badge.archived').count()).toBe(shown);
    await clickAndLoad(page, '[data-testid=show-archived]'); // "Hide archived"
    expect(await page.locator('.cards h2').allTextContents()).not.toContain('Frost archive 霜');

    await page.goto('/p');
    expect(await page.getByTestId('projects').textContent()).not.toContain('AURA');
    await clickAndLoad(page, '[data-testid=show-archived]');
    expect(await page.getByTestId('projects').textContent()).toContain('AURA');
  });

  it('leaves them out of search until the filter is ticked', async () => {
    await page.goto('/search?q=borealis');
    await expect.poll(async () => { await page.reload(); return hitTitles(page); }, { timeout: 20_000 }).toEqual([]);
    await page.getByTestId('search-archived').check();
    await clickAndLoad(page, 'form button.primary[type=submit]');
    expect(new URL(page.url()).searchParams.get('archived')).toBe('include');
    expect((await hitTitles(page)).sort()).toEqual(['AURA-1 Borealis dashboard', 'Borealis frost notes', 'Borealis plan 极光计划']);
    expect(await page.locator('ol.results .badge.archived').count()).toBe(3);
  });

  it('unarchives both by clicking, and everything is back', async () => {
    await page.goto('/p/AURA/settings');
    await clickAndLoad(page, '[data-testid=archive-toggle]');
    expect(await archived('/api/v1/projects/AURA')).toBe(false);
    await page.goto('/admin/spaces/frost');
    await clickAndLoad(page, '[data-testid=archive-toggle]');
    expect(await archived('/api/v1/spaces/frost')).toBe(false);
    await page.goto('/s/aura/aurora-plan');
    expect(await page.getByTestId('archived-banner').count()).toBe(0);
    await page.goto('/');
    expect(await page.locator('.cards h2').allTextContents()).toEqual(expect.arrayContaining(['Frost archive 霜', 'Aurora 极光项目']));
    await expect.poll(async () => (await (await api('/api/v1/search?q=borealis', { auth: admin })).json() as { hits: unknown[] }).hits.length, { timeout: 20_000 }).toBe(3);
  });
});

describe('screenshots', () => {
  const SHOTS = '/tmp/shots-archive';
  const views = [
    { name: 'desktop', viewport: { width: 1280, height: 800 } },
    { name: 'phone', viewport: { width: 390, height: 844 } },
  ];

  it('of the banner, the show-archived switch and the search filter, in both languages on desktop and phone', async () => {
    for (const path of ['/api/v1/projects/AURA', '/api/v1/spaces/frost']) {
      expect((await api(path, { method: 'PATCH', auth: admin, json: { archived: true } })).status).toBe(200);
    }
    for (const locale of ['en-US', 'zh-CN']) {
      for (const view of views) {
        const page = await signedInPage(browser, { locale, viewport: view.viewport });
        const shot = async (what: string) => {
          const name = `archive-${what}-${locale === 'en-US' ? 'en' : 'zh'}-${view.name}`;
          await screenshot(page, name);
          if (fs.existsSync(SHOTS)) fs.copyFileSync(path.join(screenshotDir, `${name}.png`), path.join(SHOTS, `${name}.png`));
        };
        await page.goto('/p/AURA');
        expect(await page.getByTestId('archived-banner').textContent()).toContain(locale === 'en-US' ? 'archived' : '已归档');
        await shot('banner');
        await page.goto('/?archived=include');
        expect(await page.getByTestId('show-archived').isVisible()).toBe(true);
        await shot('show-archived');
        await page.goto('/search?q=borealis&archived=include');
        expect(await page.getByTestId('search-archived').isChecked()).toBe(true);
        await shot('search-filter');
        await page.context().close();
      }
    }
    for (const path of ['/api/v1/projects/AURA', '/api/v1/spaces/frost']) {
      expect((await api(path, { method: 'PATCH', auth: admin, json: { archived: false } })).status).toBe(200);
    }
  });
});
