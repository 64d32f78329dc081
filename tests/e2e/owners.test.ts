// Page owners and reviews (issue 11, part 1) through the HTTP API and in real Chromium: the page's
// owner marks it verified with the form and every reader sees the badge; an overdue review says
// so; the freshness view lists what needs someone and its "Mark verified" clears a row; a space
// admin sets the default review interval in the space form. Screenshots in /tmp/shots-owners.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage, type PageOptions } from './browser.ts';
import { ADMIN } from '../setup/server.ts';
import { api, signIn, userToken } from './http.ts';

const shot = screenshotsIn('/tmp/shots-owners');
const PASSWORD = 'a long enough password 42';
const OWNER = { email: 'wang.fang@example.com', name: '王芳' };
const READER = { email: 'tom.reader@example.com', name: 'Tom Reader' };
const OUTSIDER = { email: 'olga.outside@example.com', name: 'Olga Outside' };
const DAY = 24 * 3600_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let browser: Browser;
let admin = '';
const tokens = {} as Record<'owner' | 'reader' | 'outsider', string>;
const contexts: BrowserContext[] = [];

async function as(who: { email: string; password?: string }, opts: Omit<PageOptions, 'as'> = {}): Promise<Page> {
  const page = await signedInPage(browser, { ...opts, as: { email: who.email, password: who.password ?? PASSWORD } });
  contexts.push(page.context());
  return page;
}


const page = (p: string, init: Parameters<typeof api>[1] = {}) => api(`/api/v1/pages/own/${p}`, init);
const read = async (p: string, auth = admin) => (await page(p, { auth })).json() as Promise<Record<string, unknown>>;

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  tokens.owner = await userToken(admin, OWNER.email, OWNER.name);
  tokens.reader = await userToken(admin, READER.email, READER.name);
  tokens.outsider = await userToken(admin, OUTSIDER.email, OUTSIDER.name);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'own', name: 'Handbook', kind: 'policy', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/own/grants', { method: 'PUT', auth: admin, json: [{ user: OWNER.email, role: 'editor' }, { user: READER.email, role: 'reader' }] })).status).toBe(200);
  expect((await page('', { method: 'PUT', auth: admin, json: { title: 'Handbook', markdown: 'How we work.' } })).status).toBe(201);
  for (const [p, title] of [['expenses', 'Expense policy'], ['travel', 'Travel policy'], ['leave', 'Leave policy']]) {
    expect((await page(p!, { method: 'PUT', auth: tokens.owner, json: { title, markdown: `# ${title}\n\nThe rules.` } })).status).toBe(201);
  }
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('the owner-and-review API', () => {
  it('gives every page its creator as owner, and nothing verified yet', async () => {
    expect(await read('expenses')).toMatchObject({ owner: { email: OWNER.email, name: OWNER.name, active: true }, verifiedAt: null, verifiedBy: null, reviewBy: null });
  });

  it('sets the default review interval through PATCH /api/v1/spaces/<key> (space admins only)', async () => {
    expect((await api('/api/v1/spaces/own', { method: 'PATCH', auth: tokens.owner, json: { reviewIntervalDays: 90 } })).status).toBe(403);
    const bad = await api('/api/v1/spaces/own', { method: 'PATCH', auth: admin, json: { reviewIntervalDays: 0 } });
    expect([bad.status, ((await bad.json()) as { field: string }).field]).toEqual([422, 'reviewIntervalDays']);
    const ok = await api('/api/v1/spaces/own', { method: 'PATCH', auth: admin, json: { reviewIntervalDays: 180 } });
    expect(await ok.json()).toMatchObject({ key: 'own', reviewIntervalDays: 180 });
    expect(await (await api('/api/v1/spaces/own', { auth: tokens.reader })).json()).toMatchObject({ reviewIntervalDays: 180 });
  });

  it('lets the owner verify (who, when, review by today + the interval); others get 403, outsiders 404', async () => {
    expect((await page('travel', { method: 'PATCH', auth: tokens.reader, json: { verified: true } })).status).toBe(403);
    expect((await page('travel', { method: 'PATCH', auth: tokens.outsider, json: { verified: true } })).status).toBe(404);
    expect((await page('no-such-page', { method: 'PATCH', auth: tokens.outsider, json: { verified: true } })).status).toBe(404);
    const res = await page('travel', { method: 'PATCH', auth: tokens.owner, json: { verified: true } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ verifiedBy: { email: OWNER.email, name: OWNER.name, active: true }, reviewBy: isoDate(Date.now() + 180 * DAY) });
    expect(Math.abs(Date.parse(body.verifiedAt as string) - Date.now())).toBeLessThan(60_000);
    expect(await read('travel', tokens.reader)).toMatchObject(body);
  });

  it('refuses bad input with 422 naming the field, and changes nothing', async () => {
    const before = await read('travel');
    for (const [json, field] of [[{ reviewBy: '1900-01-01' }, 'reviewBy'], [{ reviewBy: '2026-02-30' }, 'reviewBy'], [{ reviewBy: 'soon' }, 'reviewBy'],
      [{ owner: 'nobody@example.com', verified: true }, 'owner'], [{ owner: OUTSIDER.email }, 'owner']] as const) {
      const res = await page('travel', { method: 'PATCH', auth: admin, json });
      expect([res.status, ((await res.json()) as { field: string }).field]).toEqual([422, field]);
    }
    expect(await read('travel')).toEqual(before);
  });

  it('still moves a page with PATCH {path}', async () => {
    expect((await page('leave', { method: 'PATCH', auth: tokens.owner, json: { path: 'time-off' } })).status).toBe(200);
    expect(await read('time-off')).toMatchObject({ title: 'Leave policy', owner: { email: OWNER.email } });
    expect((await page('time-off', { method: 'PATCH', auth: tokens.owner, json: { path: 'leave', verified: true } })).status).toBe(400);
  });
});

describe('owners and reviews in the browser', () => {
  it('the owner marks a page verified with the form; a reader sees the badge and no form', async () => {
    const owner = await as(OWNER);
    await owner.goto('/s/own/expenses');
    expect(await owner.getByTestId('verified-badge').count()).toBe(0);
    await owner.getByText('Owner and review', { exact: true }).click();
    await Promise.all([owner.waitForEvent('load'), owner.getByRole('button', { name: 'Mark verified', exact: true }).click()]);
    expect(owner.url()).toContain('/s/own/expenses?reviewSaved=verified');
    const due = isoDate(Date.now() + 180 * DAY);
    expect(await owner.getByTestId('verified-badge').textContent()).toBe(`✓ Verified by ${OWNER.name} · review by ${due}`);
    expect(await owner.getByRole('status').first().textContent()).toContain('Marked as verified');
    await shot(owner, 'page-verified-desktop-en');

    // A date typed in the form is the next review; an unknown owner is refused on the page.
    await owner.getByText('Owner and review', { exact: true }).click();
    await owner.getByLabel('Review by').fill('2027-06-01');
    await Promise.all([owner.waitForEvent('load'), owner.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await owner.getByTestId('verified-badge').textContent()).toBe(`✓ Verified by ${OWNER.name} · review by 2027-06-01`);
    await owner.getByText('Owner and review', { exact: true }).click();
    await owner.getByLabel('Owner (email)').fill('nobody@example.com');
    await Promise.all([owner.waitForEvent('load'), owner.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await owner.getByRole('alert').textContent()).toContain('not an active user');
    expect((await read('expenses')).owner).toMatchObject({ email: OWNER.email });

    const reader = await as(READER);
    await reader.goto('/s/own/expenses');
    expect(await reader.getByTestId('verified-badge').textContent()).toBe(`✓ Verified by ${OWNER.name} · review by 2027-06-01`);
    expect(await reader.getByText('Owner and review').count()).toBe(0);
  });

  it('says "Review overdue" once the date has passed', async () => {
    expect((await page('time-off', { method: 'PATCH', auth: admin, json: { reviewBy: isoDate(Date.now() - 3 * DAY) } })).status).toBe(200);
    const reader = await as(READER);
    await reader.goto('/s/own/time-off');
    expect(await reader.getByTestId('review-overdue').textContent()).toContain('Review overdue');
    await shot(reader, 'page-overdue-desktop-en');
  });

  it('the freshness view lists what needs someone, for readers, and its "Mark verified" clears a row for the owner', async () => {
    // An unowned page, and one whose owner has left.
    expect((await page('old-notes', { method: 'PUT', auth: admin, json: { title: 'Old notes', markdown: 'x' } })).status).toBe(201);
    const made = await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: 'lee.leaver@example.com', name: 'Lee Leaver', password: PASSWORD } });
    const { id: leaverId } = (await made.json()) as { id: number };
    const { token: leaver } = await signIn({ email: 'lee.leaver@example.com', password: PASSWORD });
    expect((await api('/api/v1/spaces/own/grants', { method: 'PUT', auth: admin, json: [{ user: OWNER.email, role: 'editor' }, { user: READER.email, role: 'reader' }, { user: 'lee.leaver@example.com', role: 'editor' }] })).status).toBe(200);
    expect((await page('handover', { method: 'PUT', auth: leaver, json: { title: 'Handover notes', markdown: 'x' } })).status).toBe(201);
    expect((await page('old-notes', { method: 'PATCH', auth: admin, json: { owner: 'lee.leaver@example.com' } })).status).toBe(200);
    expect((await api(`/api/v1/users/${leaverId}`, { method: 'PATCH', auth: admin, json: { active: false } })).status).toBe(200);
    expect((await page('soon', { method: 'PUT', auth: tokens.owner, json: { title: 'Due soon page', markdown: 'x' } })).status).toBe(201);
    expect((await page('soon', { method: 'PATCH', auth: tokens.owner, json: { reviewBy: isoDate(Date.now() + 5 * DAY) } })).status).toBe(200);

    const reader = await as(READER);
    await reader.goto('/s/own');
    await Promise.all([reader.waitForEvent('load'), reader.getByRole('link', { name: 'Freshness', exact: true }).click()]);
    expect(new URL(reader.url()).pathname).toBe('/s/own/-/freshness');
    const titles = async (p: Page, list: string) => p.getByTestId(`freshness-${list}`).locator('.fresh-main > a').allTextContents();
    expect(await titles(reader, 'overdue')).toEqual(['Leave policy']);
    expect(await titles(reader, 'soon')).toEqual(['Due soon page']);
    expect(await titles(reader, 'inactiveOwner')).toEqual(expect.arrayContaining(['Old notes', 'Handover notes']));
    expect(await reader.getByRole('button', { name: /Mark verified/ }).count()).toBe(0);

    const owner = await as(OWNER);
    await owner.goto('/s/own/-/freshness');
    await shot(owner, 'freshness-desktop-en');
    await Promise.all([owner.waitForEvent('load'), owner.getByRole('button', { name: 'Mark verified: Leave policy', exact: true }).click()]);
    expect(new URL(owner.url()).pathname).toBe('/s/own/-/freshness');
    expect(await owner.getByTestId('freshness-overdue').getByText('None.').count()).toBe(1);
    expect(await read('time-off')).toMatchObject({ verifiedBy: { email: OWNER.email }, reviewBy: isoDate(Date.now() + 180 * DAY) });

    // Someone who cannot read the space gets the 404 page.
    const outsider = await as(OUTSIDER);
    const res = await outsider.goto('/s/own/-/freshness');
    expect(res?.status()).toBe(404);
  });

  it('the hourly scan puts a review reminder in the owner\'s inbox, once', async () => {
    // The scan runs in the server at start and every hour; here it runs once from this process on
    // the server's database (several processes may share it), then the server shows its result.
    process.env.DOSSIER_DATA_DIR = process.env.TEST_DATA_DIR;
    const { sendReviewReminders } = await import('../../src/server/notify/review-reminders.ts');
    const { closeDb } = await import('../../src/server/db.ts');
    try {
      sendReviewReminders();
      sendReviewReminders();
    } finally {
      closeDb();
    }
    const owner = await as(OWNER);
    await owner.goto('/inbox');
    const items = owner.locator('[data-kind="page-review-soon"]');
    expect(await items.count()).toBe(1);
    expect(await items.textContent()).toContain('Due soon page');
    expect(await items.textContent()).toContain(`its review is due by ${isoDate(Date.now() + 5 * DAY)}`);
    await Promise.all([owner.waitForEvent('load'), items.getByRole('link', { name: 'Due soon page' }).click()]);
    expect(new URL(owner.url()).pathname).toBe('/s/own/soon');
    await owner.goto('/inbox');
    await shot(owner, 'inbox-reminder-desktop-en');
  });

  it('a space admin sets the default review interval in the space form', async () => {
    const p = await as(ADMIN);
    await p.goto('/admin/spaces/own');
    await p.getByLabel('Default review interval (days)').fill('365');
    await shot(p, 'space-settings-desktop-en');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Save', exact: true }).first().click()]);
    expect(await (await api('/api/v1/spaces/own', { auth: tokens.reader })).json()).toMatchObject({ reviewIntervalDays: 365 });
    await p.getByLabel('Default review interval (days)').fill('');
    await Promise.all([p.waitForEvent('load'), p.getByRole('button', { name: 'Save', exact: true }).first().click()]);
    expect(await (await api('/api/v1/spaces/own', { auth: tokens.reader })).json()).toMatchObject({ reviewIntervalDays: null });
  });

  it('looks right on a phone and in Chinese', async () => {
    for (const [locale, phone, suffix] of [['en-US', true, 'phone-en'], ['zh-CN', false, 'desktop-zh'], ['zh-CN', true, 'phone-zh']] as const) {
      const owner = await as(OWNER, { locale, phone });
      await owner.goto('/s/own/expenses');
      await owner.locator('#review details summary').click();
      if (locale === 'zh-CN') expect(await owner.getByTestId('verified-badge').textContent()).toBe(`✓ 已由 ${OWNER.name} 确认 · 复核期限 2027-06-01`);
      await shot(owner, `page-verified-${suffix}`);
      await owner.goto('/s/own/-/freshness');
      if (locale === 'zh-CN') expect(await owner.locator('h1').textContent()).toBe('Handbook 的内容新鲜度');
      await shot(owner, `freshness-${suffix}`);
    }
  });
});
