// Issue 11's last gaps in real Chromium against the built server: owner, review and verification
// changes made with the page's form appear in its history (and in the revisions API when asked);
// the page screen links its space's recent changes; archiving a project or a space asks first (a
// dialog with JavaScript, a confirmation screen without); a successor finds one handover notice in
// their inbox. Screenshots in /tmp/shots-continuity (desktop and phone, English and Chinese).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage, type PageOptions } from './browser.ts';
import { api, signIn, userToken } from './http.ts';
import { ADMIN } from '../setup/server.ts';

const shot = screenshotsIn('/tmp/shots-continuity');
const PASSWORD = 'a long enough password 42';
const OWNER = { email: 'xu.ming@example.com', name: '徐明' };
const HEIR = { email: 'gao.yan@example.com', name: '高燕' };
const LEAVER = { email: 'qian.lu@example.com', name: '钱璐' };

let browser: Browser;
let admin = '';
let ownerToken = '';
let leaverId = 0;
const contexts: BrowserContext[] = [];

async function as(who: { email: string; password?: string }, opts: Omit<PageOptions, 'as'> = {}): Promise<Page> {
  const page = await signedInPage(browser, { ...opts, as: { email: who.email, password: who.password ?? PASSWORD } });
  contexts.push(page.context());
  return page;
}


const clickAndLoad = (page: Page, selector: string) => Promise.all([page.waitForEvent('load'), page.locator(selector).click()]);
const archived = async (p: string) => ((await (await api(p, { auth: admin })).json()) as { archived: boolean }).archived;

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  ownerToken = await userToken(admin, OWNER.email, OWNER.name);
  await userToken(admin, HEIR.email, HEIR.name);
  const created = await api('/api/v1/users', { method: 'POST', auth: admin, json: { ...LEAVER, password: PASSWORD } });
  leaverId = ((await created.json()) as { id: number }).id;
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'cont', name: 'Continuity 交接', kind: 'general' } })).status).toBe(201);
  const grants = [OWNER, HEIR, LEAVER].map((p) => ({ user: p.email, role: 'editor' }));
  expect((await api('/api/v1/spaces/cont/grants', { method: 'PUT', auth: admin, json: grants })).status).toBe(200);
  expect((await api('/api/v1/pages/cont/guide', { method: 'PUT', auth: ownerToken, json: { title: 'Onboarding guide 入职指南', markdown: 'How newcomers start.' } })).status).toBe(201);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'carch', name: 'Old records 旧档案', kind: 'general' } })).status).toBe(201);
  // The leaver: owns project CGP, holds its open requirement and a page.
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'CGP', name: 'Ginkgo 银杏', owner: LEAVER.email } })).status).toBe(201);
  expect((await api('/api/v1/projects/CGP/requirements', { method: 'POST', auth: admin, json: { title: 'Handover checklist 交接清单', category: 'feature' } })).status).toBe(201);
  const leaver = (await signIn({ email: LEAVER.email, password: PASSWORD })).token;
  expect((await api('/api/v1/pages/cont/runbook', { method: 'PUT', auth: leaver, json: { title: 'Runbook 运行手册', markdown: 'Steps.' } })).status).toBe(201);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

describe("a page's history", () => {
  it('shows owner, review and verification changes made with the form, between the revisions', async () => {
    const page = await as(OWNER);
    await page.goto('/s/cont/guide');
    await page.locator('#review summary').click();
    await page.locator('#review input[name=reviewBy]').fill('2027-06-01');
    await clickAndLoad(page, '#review button[value=save]');
    await page.locator('#review summary').click();
    await clickAndLoad(page, '#review button[value=verify]');
    // A space admin gives the page to someone else.
    expect((await api('/api/v1/pages/cont/guide', { method: 'PATCH', auth: admin, json: { owner: HEIR.email } })).status).toBe(200);

    await page.goto('/s/cont/guide');
    await clickAndLoad(page, '.actions a[href$="?history"]');
    const lines = page.getByTestId('event-line');
    expect(await lines.count()).toBe(3);
    expect(await lines.nth(0).textContent()).toContain(`Owner: ${OWNER.name} → ${HEIR.name}`);
    expect(await lines.nth(1).textContent()).toMatch(new RegExp(`${OWNER.name}.*Marked verified`));
    expect(await lines.nth(2).textContent()).toContain('Review by: none → 2027-06-01');
    // The revision's compare radios are still the first and only revision's.
    expect(await page.locator('input[name=to]:checked').getAttribute('value')).toBe('1');

    const history = await (await api('/api/v1/revisions/cont/guide?include=ownership', { auth: ownerToken })).json() as { kind: string; changes?: object }[];
    expect(history.map((e) => e.kind)).toEqual(['ownership', 'ownership', 'ownership', 'revision']);
    expect(history[0]).toMatchObject({ action: 'page.ownership', author: { email: ADMIN.email }, changes: { owner: { from: OWNER.email, to: HEIR.email } } });
    const plain = await (await api('/api/v1/revisions/cont/guide', { auth: ownerToken })).json() as object[];
    expect(plain).toEqual([{ revision: 1, author: { name: OWNER.name, email: OWNER.email }, createdAt: expect.any(String), message: '' }]);
    expect((await api('/api/v1/revisions/cont/guide?include=everything', { auth: ownerToken })).status).toBe(400);
  });
});

describe('the page screen', () => {
  it("links to its space's recent changes", async () => {
    const page = await as(OWNER);
    await page.goto('/s/cont/guide');
    expect(await page.getByTestId('space-recent').textContent()).toBe('Recent changes in Continuity 交接');
    await clickAndLoad(page, '[data-testid=space-recent]');
    const url = new URL(page.url());
    expect([url.pathname, url.searchParams.get('space')]).toEqual(['/recent', 'cont']);
    expect(await page.locator('main').textContent()).toContain('Onboarding guide 入职指南');
  });
});

describe('archiving asks first', () => {
  it('in a dialog that says what archiving does; Cancel leaves it alone', async () => {
    const page = await as(ADMIN);
    await page.goto('/p/CGP/settings');
    await page.getByTestId('archive-toggle').click();
    const dialog = page.locator('#archive-dialog');
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.locator('h2').textContent()).toBe('Archive the project “Ginkgo 银杏”?');
    expect(await dialog.textContent()).toContain('read-only for everyone');
    await dialog.locator('[data-dialog-close]').click();
    expect(await dialog.isVisible()).toBe(false);
    expect(await archived('/api/v1/projects/CGP')).toBe(false);

    await page.getByTestId('archive-toggle').click();
    await clickAndLoad(page, '#archive-dialog [data-testid=archive-submit]');
    expect(await archived('/api/v1/projects/CGP')).toBe(true);
    await clickAndLoad(page, '[data-testid=archive-toggle]'); // Unarchive: nothing to confirm
    expect(await archived('/api/v1/projects/CGP')).toBe(false);
  });

  it('on a screen of its own without JavaScript', async () => {
    const page = await as(ADMIN, { javaScript: false });
    await page.goto('/admin/spaces/carch');
    await clickAndLoad(page, '[data-testid=archive-toggle]');
    expect(new URL(page.url()).search).toBe('?archive');
    expect(await archived('/api/v1/spaces/carch')).toBe(false);
    const confirm = page.locator('main [data-testid=archive-confirm]:not(dialog *)');
    expect(await confirm.locator('h2').textContent()).toBe('Archive the space “Old records 旧档案”?');
    expect(await confirm.textContent()).toContain('hidden from the home page');
    await clickAndLoad(page, 'main [data-testid=archive-confirm]:not(dialog *) [data-testid=archive-submit]');
    expect(await archived('/api/v1/spaces/carch')).toBe(true);
    expect((await api('/api/v1/spaces/carch', { method: 'PATCH', auth: admin, json: { archived: false } })).status).toBe(200);
  });
});

describe('after a handover', () => {
  it('the successor finds one notice of what they received, and its link leads to their work', async () => {
    const res = await api(`/api/v1/users/${leaverId}/handover`, { method: 'POST', auth: admin, json: { to: HEIR.email, deactivate: true } });
    expect(res.status).toBe(200);

    const page = await as(HEIR);
    await page.goto('/inbox');
    const item = page.locator('.inbox-item[data-kind=handover]');
    expect(await item.count()).toBe(1);
    expect(await item.locator('.inbox-what').textContent()).toMatch(new RegExp(`handed over to you what ${LEAVER.name} held: open requirements: 1, projects: 1, spaces to administer: 1, pages to own: 1`));
    await clickAndLoad(page, '.inbox-item[data-kind=handover] .inbox-subject a');
    expect(new URL(page.url()).pathname).toBe('/my');
    expect(await page.getByTestId('my-work').textContent()).toContain('Handover checklist 交接清单');
    // Following it read it: the inbox no longer counts it, and its link now goes straight to /my.
    await page.goto('/inbox');
    expect(await item.locator('a[href="/my"]').count()).toBe(1);
  });
});

describe('screenshots', () => {
  it('of the history lines, the recent-changes link, the archive confirmations and the handover notice, in both languages on desktop and phone', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      for (const phone of [false, true]) {
        const tag = `${locale === 'en-US' ? 'en' : 'zh'}-${phone ? 'phone' : 'desktop'}`;
        const owner = await as(OWNER, { locale, phone });
        await owner.goto('/s/cont/guide?history');
        await shot(owner, `history-${tag}`);
        await owner.goto('/s/cont/guide');
        await owner.getByTestId('space-recent').scrollIntoViewIfNeeded();
        await shot(owner, `space-recent-link-${tag}`, false);

        const adminPage = await as(ADMIN, { locale, phone });
        await adminPage.goto('/p/CGP/settings');
        await adminPage.getByTestId('archive-toggle').click();
        expect(await adminPage.locator('#archive-dialog').isVisible()).toBe(true);
        await shot(adminPage, `archive-dialog-${tag}`, false);
        await adminPage.goto('/admin/spaces/carch?archive#archive-title');
        await shot(adminPage, `archive-confirm-${tag}`, false);

        const heir = await as(HEIR, { locale, phone });
        await heir.goto('/inbox');
        expect(await heir.locator('.inbox-item[data-kind=handover] .inbox-what').textContent()).toContain(locale === 'en-US' ? 'handed over to you' : '交接给了你');
        await shot(heir, `inbox-handover-${tag}`, false);
        for (const p of [owner, adminPage, heir]) await p.context().close();
      }
    }
  });
});
