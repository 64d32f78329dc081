// The desk in real Chromium, in English and Chinese: a project admin sets tag aliases, an SLA and
// the confirmation period in the settings forms; a reader reports an issue tagged with an alias,
// it lands in a queue, passes its first-response deadline and is escalated; a queue member clicks
// "Take it" in the list; the status filter offers each state once by category; the reporter reopens
// and then confirms the resolution. Screenshots (desktop and phone) go to /tmp/shots-desk/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

const shot = screenshotsIn('/tmp/shots-desk');
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'a long enough password 42';
const AGENT = { email: 'desk.agent@example.com', name: 'Dana Agent', password: PASSWORD };
const REPORTER = { email: 'desk.reporter@example.com', name: 'Ray Reporter', password: PASSWORD };
let browser: Browser;
let admin = '';
let agent = '';
let reporter = '';

const go = (page: Page, click: () => Promise<unknown>) => Promise.all([page.waitForEvent('load'), click()]);
const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const json = async (res: Response) => (await res.json()) as Record<string, any>;
const get = async (p: string, auth = admin) => json(await api(p, { auth }));

/** Runs the periodic escalation scan now, against the test server's database. */
async function escalateNow(): Promise<number> {
  process.env.DOSSIER_DATA_DIR = process.env.TEST_DATA_DIR;
  const { escalateOverdue } = await import('../../src/server/desk/escalation.ts');
  return escalateOverdue();
}

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  for (const u of [AGENT, REPORTER]) expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: u })).status);
  agent = (await signIn(AGENT)).token;
  reporter = (await signIn(REPORTER)).token;
  for (const [key, name] of [['DESK', 'Help desk'], ['KF', '客服台']] as const) {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key, name, owner: 'admin@example.com', visibility: 'restricted' } })).status).toBe(201);
    expect((await api(`/api/v1/spaces/${key.toLowerCase()}/grants`, { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: AGENT.email, role: 'editor' }, { user: REPORTER.email, role: 'reader' }] })).status).toBe(200);
  }
  expect((await api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'desk-agents' } })).status).toBe(201);
  expect((await api('/api/v1/groups/desk-agents/members', { method: 'PUT', auth: admin, json: { emails: [AGENT.email] } })).status).toBe(200);
  // A rule to a group with a member who may only read is refused, saying why.
  const refused = await api('/api/v1/projects/DESK/rules', { method: 'PUT', auth: admin, json: [{ category: 'issue', assignee: REPORTER.email }] });
  expect(refused.status).toBe(422);
  expect((await json(refused)).error).toContain('rule 1: desk.reporter@example.com cannot edit space "desk"');
  for (const key of ['DESK', 'KF']) {
    expect((await api(`/api/v1/projects/${key}/rules`, { method: 'PUT', auth: admin, json: [{ category: 'issue', tag: 'login', group: 'desk-agents' }] })).status).toBe(200);
  }
});
afterAll(async () => { await browser?.close(); });

describe('the desk in the browser', () => {
  it('sets aliases, an SLA and the confirmation period through the settings forms', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/DESK/settings');
    const desk = page.getByTestId('desk-settings');
    await desk.getByLabel('Aliases').fill('登录 = login\nsign in');
    await go(page, () => button(page, 'Save aliases').click());
    expect(await page.getByRole('alert').textContent()).toContain('Line 2: write it as “alias = tag”');
    expect(await page.getByLabel('Aliases').inputValue()).toBe('登录 = login\nsign in');
    // The refused form came back on the desk settings page, which saves and stays there.
    await page.getByLabel('Aliases').fill('登录 = login\nSign-In = LOGIN');
    await go(page, () => button(page, 'Save aliases').click());
    expect(new URL(page.url()).pathname).toBe('/p/DESK/desk');

    // A first response due after the resolution is refused (and nothing is saved); then a real SLA.
    // (Negative hours the form's own validation stops; the API's answer is in the hostile suite.)
    await page.getByLabel('Customer issue, Urgent: First response (hours)').fill('48');
    await page.getByLabel('Customer issue, Urgent: Resolution (hours)').fill('24');
    await go(page, () => button(page, 'Save service levels').click());
    expect(await page.getByRole('alert').textContent()).toContain('issue × urgent: the first response cannot be due after the resolution');
    expect((await get('/api/v1/projects/DESK/sla')).sla).toEqual({});
    await page.goto('/p/DESK/settings');
    await page.getByLabel('Customer issue, Urgent: First response (hours)').fill('0.0005');
    await page.getByLabel('Customer issue, Urgent: Resolution (hours)').fill('48');
    await page.getByLabel('Customer issue, Urgent: Clock').selectOption('calendar');
    await page.getByLabel('Customer issue, High: First response (hours)').fill('4');
    await page.getByLabel('Customer issue, High: Resolution (hours)').fill('16');
    await page.getByLabel('Customer issue, High: Clock').selectOption('working');
    await go(page, () => button(page, 'Save service levels').click());
    await page.getByLabel('Days to confirm or reopen').fill('5');
    await go(page, () => page.getByTestId('desk-settings').getByRole('button', { name: 'Save', exact: true }).click());
    const settings = await get('/api/v1/projects/DESK/sla');
    expect(settings).toMatchObject({
      tagAliases: { '登录': 'login', 'sign-in': 'login' }, confirmDays: 5,
      sla: { issue: { urgent: { firstResponseHours: 0.0005, resolveHours: 48, clock: 'calendar' }, high: { firstResponseHours: 4, resolveHours: 16, clock: 'working' } } },
    });
    await page.locator('#desk-title').scrollIntoViewIfNeeded();
    await shot(page, 'settings-en-desktop');
    await page.context().close();
    // The Chinese project gets the same through the API.
    expect((await api('/api/v1/projects/KF/tag-aliases', { method: 'PUT', auth: admin, json: { aliases: { '登录': 'login' } } })).status).toBe(200);
    expect((await api('/api/v1/projects/KF/sla', { method: 'PUT', auth: admin, json: { issue: { urgent: { firstResponseHours: 0.0005, resolveHours: 48, clock: 'calendar' } } } })).status).toBe(200);
  }, 120_000);

  for (const [lang, locale, key, title] of [['en', 'en-US', 'DESK', 'Cannot sign in with SSO'], ['zh', 'zh-CN', 'KF', '无法用企业微信登录']] as const) {
    it(`routes, escalates, is taken, filtered, reopened and confirmed (${lang})`, async () => {
      const t = lang === 'en'
        ? { take: `Take ${key}-1`, took: 'You took it: you are now the assignee.', escalated: 'Escalated', late: 'Overdue response', status: 'Status', apply: 'Filter', open: 'Open', inProgress: 'In progress', reopen: 'Reopen', confirm: 'Confirm resolution', closed: 'Closed: the resolution was confirmed.', anyOpen: 'Any open', anyDone: 'Any done', why: /^What is still wrong/ }
        : { take: `我来处理 ${key}-1`, took: '已由你处理：你现在是处理人。', escalated: '已升级', late: '响应超时', status: '状态', apply: '筛选', open: '待处理', inProgress: '处理中', reopen: '重新打开', confirm: '确认已解决', closed: '已关闭：解决已确认。', anyOpen: '所有未完成', anyDone: '所有已完成', why: /^还有什么问题/ };
      // The reporter submits through the form: the alias routes it to the queue; the SLA sets the deadlines.
      const rep = await signedInPage(browser, { locale, as: REPORTER });
      await rep.goto(`/p/${key}/new`);
      await rep.getByLabel(lang === 'en' ? 'Title' : '标题', { exact: true }).fill(title);
      await rep.getByLabel(lang === 'en' ? 'Customer issue' : '问题').check();
      await rep.getByLabel(lang === 'en' ? 'Priority' : '优先级').selectOption('urgent');
      await rep.getByLabel(lang === 'en' ? /^Tags/ : /^标签/).fill('登录');
      await go(rep, () => rep.locator('form.form.panel button[type=submit]').click());
      expect(new URL(rep.url()).pathname).toBe(`/p/${key}/${key}-1`);
      const submitted = await get(`/api/v1/requirements/${key}-1`);
      expect(submitted).toMatchObject({ group: 'desk-agents', assignee: null, desk: { firstResponseAt: null, canClaim: true } });
      expect(Date.parse(submitted.desk.resolveBy) - Date.parse(submitted.createdAt)).toBe(48 * 3_600_000);
      expect(submitted.due).toBe(submitted.desk.resolveBy.slice(0, 10));

      // Two seconds later the first-response deadline has passed: the scan escalates it once, to the owner.
      await new Promise((r) => setTimeout(r, 2000));
      expect(await escalateNow()).toBeGreaterThanOrEqual(1);
      expect(await escalateNow()).toBe(0);
      const inbox = await get('/api/v1/notifications');
      expect(inbox.items.filter((i: { kind: string; key: string }) => i.kind === 'escalated' && i.key === `${key}-1`)).toHaveLength(1);

      // The agent sees it in the list with its flags and takes it.
      const page = await signedInPage(browser, { locale, as: AGENT });
      await page.goto(`/p/${key}`);
      const row = page.locator(`tr[data-key="${key}-1"]`);
      expect(await row.locator('.desk-flag').allTextContents()).toEqual([t.escalated, t.late]);
      await shot(page, `list-${lang}-desktop`);
      await go(page, () => page.getByRole('button', { name: t.take }).click());
      expect(new URL(page.url()).pathname).toBe(`/p/${key}/${key}-1`);
      expect(await page.locator('.notice[role=status]').textContent()).toBe(t.took);
      expect(await page.getByTestId('assignee').textContent()).toBe(AGENT.name);
      expect(await get(`/api/v1/requirements/${key}-1`)).toMatchObject({ assignee: { email: AGENT.email }, group: null });
      await shot(page, `requirement-${lang}-desktop`);

      // A second queue item is taken from the board (en) or from its own page (zh).
      const second = await json(await api(`/api/v1/projects/${key}/requirements`, { method: 'POST', auth: reporter, json: { title: 'Second', category: 'issue', tags: ['LOGIN'] } }));
      expect(second.group).toBe('desk-agents');
      if (lang === 'en') {
        await page.goto(`/p/${key}/board?category=issue`);
        await go(page, () => page.locator(`.req-card[data-key="${second.key}"]`).getByRole('button', { name: `Take ${second.key}` }).click());
      } else {
        await page.goto(`/p/${key}/${second.key}`);
        await go(page, () => button(page, '我来处理').click());
      }
      expect(new URL(page.url()).pathname).toBe(`/p/${key}/${second.key}`);
      expect(await get(`/api/v1/requirements/${second.key}`)).toMatchObject({ assignee: { email: AGENT.email }, group: null });

      // The status filter: "any open" and "any done" once each, then each category's states.
      await page.goto(`/p/${key}`);
      const status = page.locator('form.filters select[name=status]');
      const options = await status.locator('option').allTextContents();
      expect(options.filter((o) => o === t.anyOpen)).toHaveLength(1);
      expect(options.filter((o) => o === t.anyDone)).toHaveLength(1);
      expect(await status.locator('optgroup').evaluateAll((gs) => gs.map((g) => g.getAttribute('label')))).toHaveLength(3);
      await status.selectOption('issue:open');
      await go(page, () => button(page, t.apply).click());
      expect(new URL(page.url()).searchParams.get('status')).toBe('issue:open');
      const rows = await page.getByTestId('requirements').locator('tbody tr').count();
      expect(rows).toBe(2);
      expect((await page.getByTestId('figures').locator('li').first().locator('.figure').textContent())).toBe(String(rows));
      await status.selectOption('done');
      await go(page, () => button(page, t.apply).click());
      expect(await page.getByTestId('figures').locator('li').first().locator('.figure').textContent()).toBe('0');
      await page.context().close();

      // Resolved: the reporter reopens it, then (resolved again) confirms it.
      for (const to of ['in-progress', 'resolved']) expect((await api(`/api/v1/requirements/${key}-1/transitions`, { method: 'POST', auth: agent, json: { to } })).status).toBe(200);
      expect((await get(`/api/v1/requirements/${key}-1`)).desk.firstResponseAt).not.toBeNull();
      await rep.goto(`/p/${key}/${key}-1`);
      await shot(rep, `confirm-${lang}-desktop`);
      expect(await rep.locator('#confirm-title').textContent()).toBe(lang === 'en' ? 'Marked “Resolved”: is that right?' : '已标记为“已解决”：是否认可？');
      // Reopening says what is still wrong: the browser asks for it before posting.
      expect(await rep.getByLabel(t.why).evaluate((el) => (el as HTMLTextAreaElement).required)).toBe(true);
      await rep.getByLabel(t.why).fill(lang === 'en' ? 'Still fails on the phone.' : '手机上还是不行。');
      await go(rep, () => button(rep, t.reopen).click());
      expect(await rep.locator('.req-sub .status-badge').textContent()).toBe(t.inProgress);
      for (const to of ['resolved']) expect((await api(`/api/v1/requirements/${key}-1/transitions`, { method: 'POST', auth: agent, json: { to } })).status).toBe(200);
      await rep.reload();
      await go(rep, () => button(rep, t.confirm).click());
      expect(await rep.getByTestId('confirm').textContent()).toBe(t.closed);
      expect(await get(`/api/v1/requirements/${key}-1`)).toMatchObject({ status: 'closed', done: true, desk: { confirmation: { state: 'closed' } } });
      const kinds = ((await get(`/api/v1/requirements/${key}-1`)).events as { kind: string }[]).map((e) => e.kind);
      expect(kinds).toEqual(expect.arrayContaining(['escalated', 'claimed', 'reopened', 'confirmed']));
      await shot(rep, `confirmed-${lang}-desktop`);
      await rep.context().close();

      // Phone: nothing wider than the screen.
      const phone = await signedInPage(browser, { locale, viewport: PHONE });
      await phone.goto(`/p/${key}/settings`);
      if (lang === 'zh') {
        await phone.setViewportSize({ width: 1280, height: 860 });
        await shot(phone, 'settings-zh-desktop');
        await phone.setViewportSize(PHONE);
      }
      for (const [name, p] of [['list', `/p/${key}`], ['requirement', `/p/${key}/${key}-1`], ['settings', `/p/${key}/settings`], ['overview', `/p/${key}/overview`]] as const) {
        expect((await phone.goto(p))!.status(), name).toBe(200);
        expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), name).toBeLessThanOrEqual(0);
        await shot(phone, `${name}-${lang}-phone`);
      }
      // The overview's activity names every kind of event: a reopened and a confirmed one too.
      const activity = await phone.locator('section[aria-labelledby=activity-title]').textContent();
      expect(activity).toContain(lang === 'en' ? 'reopened it' : '重新打开');
      expect(activity).toContain(lang === 'en' ? 'confirmed it solved' : '确认已解决');
      await phone.context().close();
    }, 150_000);
  }
});
