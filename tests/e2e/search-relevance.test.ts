// Search relevance in real Chromium: the admin synonym page and a space's search weight and
// reference fields (every control clicked), a synonym match and a "did you mean" on /search, in
// English and Chinese, desktop and phone (screenshots also go to /tmp/shots-search/).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

let browser: Browser;
let admin: string;
let siteGroups: string[][]; // the demo company's list (content/_synonyms.txt), put back afterwards
beforeAll(async () => {
  browser = await launch();
  admin = (await signIn()).token;
  ({ groups: siteGroups } = await (await api('/api/v1/synonyms', { auth: admin })).json() as { groups: string[][] });
});
afterAll(async () => {
  await api('/api/v1/synonyms', { method: 'PUT', auth: admin, json: { groups: siteGroups } });
  await api('/api/v1/spaces/it', { method: 'PATCH', auth: admin, json: { searchWeight: 1, reference: false } });
  await browser?.close();
});

const shots = '/tmp/shots-search';
async function shoot(page: Page, name: string): Promise<void> {
  await screenshot(page, `search-${name}`);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
}
const submit = (page: Page, button: ReturnType<Page['locator']>) => Promise.all([page.waitForEvent('load'), button.click()]);

describe('search relevance UI', () => {
  it('starts the demo with its company synonym list: a Chinese search finds the English policy', async () => {
    expect(siteGroups).toContainEqual(['报销', 'reimbursement', 'reimbursed', 'expenses']);
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto(`/search?q=${encodeURIComponent('出差报销')}`);
    const first = page.locator('.results li').first();
    expect(await first.locator('a.title').textContent()).toMatch(/^Travel and expenses/);
    expect(await first.locator('.synonym-match').textContent()).toMatch(/出差 → (travel|business trip)/);
    await shoot(page, 'demo-synonyms-zh-desktop');
  });

  it('edits the synonym list on its admin page, refusing a bad line and keeping what was typed', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin');
    await page.locator('.subnav').getByRole('link', { name: 'Search synonyms' }).click();
    expect(await page.locator('h1').textContent()).toBe('Search synonyms');
    const box = page.getByLabel(/Synonym groups/);
    await box.fill('报销, reimbursed, expenses\nalone');
    await submit(page, page.getByRole('button', { name: 'Save synonyms' }));
    expect(await page.getByRole('alert').textContent()).toContain('at least two different words');
    expect(await box.inputValue()).toContain('alone');
    await box.fill('报销, reimbursed, expenses\nwifi，无线网络');
    await submit(page, page.getByRole('button', { name: 'Save synonyms' }));
    expect(await page.getByRole('status').textContent()).toBeTruthy();
    expect(await box.inputValue()).toBe('报销, reimbursed, expenses\nwifi, 无线网络');
    const listed = await (await api('/api/v1/synonyms', { auth: admin })).json();
    expect(listed).toEqual({ groups: [['报销', 'reimbursed', 'expenses'], ['wifi', '无线网络']] });
    await shoot(page, 'admin-synonyms-en-desktop');
  });

  it('answers the synonym API with 400 for bad lists and 403 for non-admins', async () => {
    expect((await api('/api/v1/synonyms', { method: 'PUT', auth: admin, json: { groups: 'x' } })).status).toBe(400);
    expect((await api('/api/v1/synonyms', { method: 'PUT', auth: admin, json: { groups: [['a']] } })).status).toBe(400);
    const user = await userToken(admin, 'synonym.reader@example.com', 'Reader');
    expect((await api('/api/v1/synonyms', { auth: user })).status).toBe(403);
    expect((await api('/api/v1/synonyms', { method: 'PUT', auth: user, json: { groups: [] } })).status).toBe(403);
  });

  it('sets a space search weight and marks it as reference from its admin page', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin/spaces/it');
    await page.getByLabel('Search weight').fill('1.5');
    await page.getByLabel(/Reference collection/).check();
    await submit(page, page.locator('form', { has: page.locator('input[name=searchWeight]') }).getByRole('button', { name: 'Save' }));
    const space = await (await api('/api/v1/spaces/it', { auth: admin })).json() as { searchWeight: number; reference: boolean };
    expect(space).toMatchObject({ searchWeight: 1.5, reference: true });
    expect(await page.getByLabel('Search weight').inputValue()).toBe('1.5');
    expect(await page.getByLabel(/Reference collection/).isChecked()).toBe(true);
    await shoot(page, 'admin-space-weight-en-desktop');
    await page.getByLabel(/Reference collection/).uncheck();
    await page.getByLabel('Search weight').fill('1');
    await submit(page, page.locator('form', { has: page.locator('input[name=searchWeight]') }).getByRole('button', { name: 'Save' }));
    expect(await (await api('/api/v1/spaces/it', { auth: admin })).json()).toMatchObject({ searchWeight: 1, reference: false });
    expect((await api('/api/v1/spaces/it', { method: 'PATCH', auth: admin, json: { searchWeight: 9 } })).status).toBe(400);
    expect((await api('/api/v1/spaces/it', { method: 'PATCH', auth: admin, json: { reference: 'yes' } })).status).toBe(400);
  });

  it('filters by kind of space and includes archived spaces on request', async () => {
    const page = await signedInPage(browser);
    await page.goto('/search?q=vpn');
    await page.getByLabel('Kind of space').selectOption('it');
    await page.getByLabel('Include archived').check();
    await submit(page, page.locator('form.filters').getByRole('button', { name: 'Search' }));
    const url = new URL(page.url());
    expect([url.searchParams.get('kind'), url.searchParams.get('archived')]).toEqual(['it', 'include']);
    const where = await page.locator('.results li .where').allTextContents();
    expect(where.length).toBeGreaterThan(0);
    for (const w of where) expect(w).toContain('IT Guides');
    expect(await page.getByLabel('Include archived').isChecked()).toBe(true);
    expect(await page.locator('.results li .edited').first().textContent()).toMatch(/^edited .+/);
    await shoot(page, 'filters-en-desktop');
    await page.getByLabel('Include archived').uncheck();
    await page.getByLabel('Kind of space').selectOption('');
    await submit(page, page.locator('form.filters').getByRole('button', { name: 'Search' }));
    expect(new URL(page.url()).searchParams.get('archived')).toBeNull();
    expect(await page.locator('.results li .where').allTextContents()).toContainEqual(expect.not.stringContaining('IT Guides'));
  });

  it('shows where each page is and whether it is verified, filters requirements by status and pages through results', async () => {
    type Hits = { total: number; hits: { path: string; status?: string; verified?: boolean; breadcrumbs?: string[] }[] };
    const find = async (qs: string) => (await (await api(`/api/v1/search?${qs}`, { auth: admin })).json()) as Hits;
    expect((await api('/api/v1/pages/it/accounts/password-reset', { method: 'PATCH', auth: admin, json: { verified: true } })).status).toBe(200);
    const reset = await find(`q=${encodeURIComponent('重置密码')}`);
    expect(reset.hits.find((h) => h.path === 'accounts/password-reset')).toMatchObject({ verified: true, breadcrumbs: ['账号与密码'] });
    expect(reset.hits.find((h) => h.path === 'accounts')).toMatchObject({ verified: false, breadcrumbs: [] });
    const page = await signedInPage(browser);
    await page.goto(`/search?q=${encodeURIComponent('重置密码')}`);
    const hit = page.locator('.results li', { has: page.locator('a.title[href="/s/it/accounts/password-reset"]') });
    expect(await hit.locator('.where').textContent()).toBe('IT Guides · IT 指南 › 账号与密码');
    expect(await hit.getByTestId('search-verified').textContent()).toBe('✓ Verified');
    await shoot(page, 'verified-breadcrumbs-en-desktop');

    // Status as the requirement lists read it: open (not done) and done split every requirement.
    const [all, open, done] = await Promise.all([find('q=ATL&type=requirement&limit=100'), find('q=ATL&status=open&limit=100'), find('q=ATL&status=done&limit=100')]);
    expect(open.total).toBeGreaterThan(0);
    expect(done.total).toBeGreaterThan(0);
    expect(open.total + done.total).toBe(all.total);
    expect(open.hits.map((h) => h.status)).not.toContain('done');
    expect((await api('/api/v1/search?q=ATL&status=bogus', { auth: admin })).status).toBe(400);
    expect((await api('/api/v1/search?q=ATL&offset=abc', { auth: admin })).status).toBe(400);
    await page.goto('/search?q=ATL');
    await page.locator('select[name=status]').selectOption('open');
    await submit(page, page.locator('form.filters').getByRole('button', { name: 'Search' }));
    expect(new URL(page.url()).searchParams.get('status')).toBe('open');
    expect(await page.locator('.results li').count()).toBe(open.total);

    // Twenty results a page, with Next and Previous.
    const many = await find('q=page');
    expect(many.total).toBeGreaterThan(20);
    await page.goto('/search?q=page');
    const titles = () => page.locator('.results a.title').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const first = await titles();
    expect(first).toHaveLength(20);
    await submit(page, page.locator('.pager a[rel=next]'));
    const second = await titles();
    expect(second).toHaveLength(Math.min(20, many.total - 20));
    expect(second.filter((href) => first.includes(href))).toEqual([]);
    expect(await page.locator('.pager .meta').textContent()).toBe(`Results 21–${20 + second.length}`);
    await shoot(page, 'second-page-en-desktop');
    await submit(page, page.locator('.pager a[rel=prev]'));
    expect(await titles()).toEqual(first);
  });

  it('folds the filters behind a button on a phone while none is set; open on a desktop and without JavaScript', async () => {
    const noScript = await signedInPage(browser, { phone: true, javaScript: false });
    await noScript.goto('/search?q=vpn');
    expect(await noScript.getByLabel('Kind of space').isVisible()).toBe(true);
    expect(await noScript.getByRole('button', { name: 'Filters' }).isVisible()).toBe(false);
    const unfoldedTop = (await noScript.locator('.results li').first().boundingBox())!.y;
    for (const [lang, locale, name, kindLabel] of [['en', 'en-US', 'Filters', 'Kind of space'], ['zh', 'zh-CN', '筛选', '空间类型']] as const) {
      const phone = await signedInPage(browser, { phone: true, locale });
      await phone.goto('/search?q=vpn');
      const kind = phone.getByLabel(kindLabel);
      const toggle = phone.getByRole('button', { name });
      expect(await kind.isVisible()).toBe(false);
      expect(await toggle.getAttribute('aria-expanded')).toBe('false');
      // The first result comes up by the height of the filters (about a quarter of the screen).
      expect((await phone.locator('.results li').first().boundingBox())!.y).toBeLessThan(unfoldedTop - 150);
      await shoot(phone, `filters-folded-${lang}-phone`);
      await toggle.click();
      expect(await toggle.getAttribute('aria-expanded')).toBe('true');
      await kind.selectOption('it');
      await shoot(phone, `filters-open-${lang}-phone`);
      await submit(phone, phone.locator('form.filters').getByRole('button', { name: lang === 'en' ? 'Search' : '搜索', exact: true }));
      expect(new URL(phone.url()).searchParams.get('kind')).toBe('it');
      expect(await kind.isVisible()).toBe(true); // a filter is set: shown open
      await toggle.click();
      expect(await kind.isVisible()).toBe(false);
      await phone.context().close();
    }
    const desktop = await signedInPage(browser);
    await desktop.goto('/search?q=vpn');
    expect(await desktop.getByLabel('Kind of space').isVisible()).toBe(true);
    expect(await desktop.getByRole('button', { name: 'Filters' }).isVisible()).toBe(false);
  });

  for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
    for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
      it(`shows a synonym match and a suggestion on /search (${lang}, ${device})`, async () => {
        await api('/api/v1/synonyms', { method: 'PUT', auth: admin, json: { groups: [['报销', 'reimbursed', 'expenses']] } });
        const page = await signedInPage(browser, { locale, viewport });
        await page.goto(`/search?q=${encodeURIComponent('报销')}`);
        const travel = page.locator('.results li').filter({ has: page.locator('a.title', { hasText: /^Travel and expenses/ }) });
        expect(await travel.locator('.synonym-match').textContent()).toMatch(/报销 → (expenses|reimbursed)/);
        await shoot(page, `synonym-${lang}-${device}`);

        await page.goto('/search?q=vnp');
        const suggestion = page.getByTestId('suggestion');
        expect(await suggestion.textContent()).toContain('vpn');
        expect(await page.locator('.results li').count()).toBeGreaterThan(0);
        await shoot(page, `suggestion-${lang}-${device}`);
        await Promise.all([page.waitForEvent('load'), suggestion.getByRole('link').click()]);
        expect(new URL(page.url()).searchParams.get('q')).toBe('vpn');
        expect(await page.locator('.results li').count()).toBeGreaterThan(0);

        // A Chinese input method's typo: characters that read the same (考琴 for 考勤, a word of a demo
        // title), in the demo's policies, where no other test writes: nothing is found, so the
        // suggestion's results are shown.
        await page.goto(`/search?q=${encodeURIComponent('考琴')}&space=policies`);
        expect(await page.getByTestId('suggestion').textContent()).toContain('考勤');
        expect(await page.getByRole('status').textContent()).toContain('“考勤”'); // the results shown are the suggestion's
        expect(await page.locator('.results li a.title').allTextContents()).toContainEqual(expect.stringContaining('考勤与休假'));
        await shoot(page, `suggestion-zh-typo-${lang}-${device}`);
      });
    }
  }
});
