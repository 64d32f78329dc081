// Project phases, the overview and recent changes over HTTP and in real Chromium (issue 11, parts
// 3, 4 and 7): the API's shapes and codes, the phase-change form (a refused move says what is
// missing), the activity filters, the recent-changes and recently-viewed links, and screenshots
// (desktop and phone, English and Chinese) into /tmp/shots-phases/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

const shot = screenshotsIn('/tmp/shots-phases');
const PHONE = { width: 390, height: 844 };
let browser: Browser;
let admin = '';
let editor = '';

const go = (page: Page, click: () => Promise<unknown>) => Promise.all([page.waitForEvent('load'), click()]);
const json = async <T>(res: Response) => { expect(res.status).toBe(200); return (await res.json()) as T; };

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  editor = await userToken(admin, 'zhao.phase@example.com', '赵磊');
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'PHX', name: 'Phoenix 凤凰', owner: 'admin@example.com', description: 'Phoenix rebuilds the billing portal. 凤凰项目重建账单门户。' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/phx/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: 'zhao.phase@example.com', role: 'editor' }] })).status).toBe(200);
  for (const [p, title, tags] of [['plan', 'Phoenix plan 计划', ['plan']], ['status/w10', 'Status week 10', ['status']], ['status/w11', '周报 第 11 周', ['status']], ['design', 'Billing design', ['spec']]] as const) {
    // The project's starter pages include a plan: saving over it is a 200.
    expect([200, 201]).toContain((await api(`/api/v1/pages/phx/${p}`, { method: 'PUT', auth: admin, json: { title, markdown: `# ${title}\n\nText.`, tags } })).status);
  }
  // Requirements with due dates over a few months, some done, by two people.
  for (let i = 0; i < 12; i++) {
    const month = String(1 + (i % 6)).padStart(2, '0');
    const res = await api('/api/v1/projects/PHX/requirements', { method: 'POST', auth: i % 2 ? editor : admin, json: { title: `Billing item ${i + 1}`, category: 'issue', due: `2026-${month}-1${i % 9}` } });
    expect(res.status).toBe(201);
    if (i % 3 === 0) expect((await api(`/api/v1/requirements/PHX-${i + 1}/transitions`, { method: 'POST', auth: admin, json: { to: 'closed', comment: 'done' } })).status).toBe(200);
  }
});
afterAll(async () => { await browser?.close(); });

describe('phases and overview API', () => {
  it('answers the overview with phase, phases, documents, people, figures, activity and timeline', async () => {
    const o = await json<Record<string, any>>(await api('/api/v1/projects/PHX/overview', { auth: editor }));
    expect(o.phase).toBe('initiation');
    expect(o.phases.map((p: { key: string }) => p.key)).toEqual(['initiation', 'planning', 'execution', 'acceptance', 'closed']);
    expect(o.phases[0]).toMatchObject({ name: { en: 'Initiation', zh: '立项' }, current: true, to: null });
    expect(Object.keys(o.documents)).toEqual(['plan', 'spec', 'review', 'retro', 'status']);
    expect(o.documents.status.map((d: { title: string }) => d.title)).toEqual(['周报 第 11 周', 'Status week 10']);
    expect(o.people.map((p: { email: string }) => p.email)).toEqual(expect.arrayContaining(['admin@example.com', 'zhao.phase@example.com']));
    expect(o.figures).toMatchObject({ open: 8 });
    expect(o.activity.length).toBeGreaterThan(10);
    expect(o.timeline.at(-1)).toMatchObject({ dueTotal: 12, doneTotal: 4 });
    const phases = await json<{ key: string }[]>(await api('/api/v1/projects/PHX/phases', { auth: editor }));
    expect(phases).toHaveLength(5);
  });

  it('changes phase for project admins only, with 422 naming what is missing', async () => {
    expect((await api('/api/v1/projects/PHX/phase', { method: 'POST', auth: editor, json: { to: 'planning' } })).status).toBe(403);
    expect((await api('/api/v1/projects/NOPE/phase', { method: 'POST', auth: admin, json: { to: 'planning' } })).status).toBe(404);
    expect(await json(await api('/api/v1/projects/PHX/phase', { method: 'POST', auth: admin, json: { to: 'planning', comment: 'Plan approved' } }))).toEqual({ phase: 'planning' });
    expect(await json(await api('/api/v1/projects/PHX/phase', { method: 'POST', auth: admin, json: { to: 'execution' } }))).toEqual({ phase: 'execution' });
    const refused = await api('/api/v1/projects/PHX/phase', { method: 'POST', auth: admin, json: { to: 'acceptance' } });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: expect.stringContaining('retrospective'), missing: [{ gate: 'retro' }] });
  });

  it('shows the demo project ATL in acceptance with its dated phase history', async () => {
    const o = await json<{ phase: string; history: { from: string | null; to: string; at: string }[]; documents: { retro: { title: string }[]; status: { title: string }[] } }>(
      await api('/api/v1/projects/ATL/overview', { auth: admin }));
    expect(o.phase).toBe('acceptance');
    expect(o.history.map((h) => `${h.at.slice(0, 10)} ${h.to}`)).toEqual(['2026-02-23 initiation', '2026-03-02 planning', '2026-03-16 execution', '2026-08-05 acceptance']);
    expect(o.documents.retro.map((d) => d.title)).toContain('项目复盘');
    expect(o.documents.status.length).toBeGreaterThanOrEqual(2);
  });

  it('answers recent changes and recently viewed for the signed-in user', async () => {
    const recent = await json<{ kind: string; space: string }[]>(await api('/api/v1/recent?space=phx', { auth: editor }));
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((i) => i.space === 'phx')).toBe(true);
    expect(new Set(recent.map((i) => i.kind))).toEqual(new Set(['page', 'requirement']));
    expect(Array.isArray(await json(await api('/api/v1/recent/viewed', { auth: editor })))).toBe(true);
    expect((await api('/api/v1/recent')).status).toBe(401);
  });
});

describe('overview and recent changes in Chromium', () => {
  it('changes the phase with the form, shows a refused move, filters the activity', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/PHX');
    await go(page, () => page.getByRole('link', { name: 'Overview', exact: true }).click());
    expect(new URL(page.url()).pathname).toBe('/p/PHX/overview');
    await expect(page.getByRole('heading', { name: 'Current phase: Execution' }).isVisible()).resolves.toBe(true);

    // Acceptance needs a retrospective: refused, and the form says so.
    await page.getByLabel('Move to').selectOption('acceptance');
    await page.getByLabel(/Comment/).fill('Trying too early');
    await go(page, () => page.getByRole('button', { name: 'Change phase' }).click());
    await expect(page.getByRole('alert').innerText()).resolves.toContain('retrospective');

    // With a retrospective page it passes.
    expect((await api('/api/v1/pages/phx/retro', { method: 'PUT', auth: admin, json: { title: 'Phoenix retrospective 复盘', markdown: 'Keep, improve, try.', tags: ['retro'] } })).status).toBe(201);
    await page.getByLabel('Move to').selectOption('acceptance');
    await page.getByLabel(/Comment/).fill('GA shipped, retrospective held');
    await go(page, () => page.getByRole('button', { name: 'Change phase' }).click());
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Acceptance');
    await expect(page.getByTestId('phase-timeline').locator('[aria-current=step]').innerText()).resolves.toContain('Acceptance');

    // Closing is refused while requirements are open, listing them as links.
    await page.getByLabel('Move to').selectOption('closed');
    await go(page, () => page.getByRole('button', { name: 'Change phase' }).click());
    const alert = page.getByRole('alert');
    await expect(alert.getByRole('link', { name: 'PHX-2', exact: true }).isVisible()).resolves.toBe(true);
    await shot(page, 'overview-refused-en-desktop');

    // Activity filters: phase changes only, then one person's.
    await page.goto('/p/PHX/overview');
    await page.getByLabel('Kind').selectOption('phase');
    await go(page, () => page.getByRole('button', { name: 'Filter' }).click());
    const kinds = await page.getByTestId('activity').locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(['phase', 'phase', 'phase']);
    await page.getByLabel('Kind').selectOption('');
    await page.getByLabel('Person').selectOption('zhao.phase@example.com');
    await go(page, () => page.getByRole('button', { name: 'Filter' }).click());
    const lines = await page.getByTestId('activity').locator('li').allInnerTexts();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.includes('赵磊'))).toBe(true);
    // The requirements they submitted one after another are one line naming each once, and each name opens it.
    const run = page.getByTestId('activity').locator('li[data-run]');
    await expect(run.count()).resolves.toBe(1);
    const keys = await run.getByRole('link').allInnerTexts();
    expect(keys.length).toBe(6);
    expect(new Set(keys).size).toBe(6);
    expect(await run.innerText()).toContain('submitted — 6 requirements');
    await go(page, () => run.getByRole('link', { name: keys[0], exact: true }).click());
    expect(new URL(page.url()).pathname).toBe(`/p/PHX/${keys[0]}`);
    await go(page, () => page.goBack());
    await go(page, () => page.getByRole('link', { name: 'Clear' }).click());
    await expect(page.getByTestId('activity').locator('li[data-kind=page]').count()).resolves.toBeGreaterThan(0);

    // The chart is an SVG drawn by the chart library, with the table beside it.
    await expect(page.getByTestId('timeline-chart').locator('svg[role=img]:visible').count()).resolves.toBe(1);
    await expect(page.getByTestId('timeline-table').locator('tbody tr').count()).resolves.toBeGreaterThan(3);
    await shot(page, 'overview-en-desktop');
    await page.context().close();
  });

  it('lets a project admin edit the phase list in the settings', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/PHX/settings');
    await page.getByText('Edit phases (JSON)').click();
    await page.getByRole('textbox', { name: 'Phases' }).fill('[{"key":"initiation"}]');
    await go(page, () => page.getByRole('button', { name: 'Save phases' }).click());
    await expect(page.locator('#phases-title ~ details [role=alert]').innerText()).resolves.toMatch(/phase 1/);
    const phases = await json<{ key: string; name: { en: string; zh: string } }[]>(await api('/api/v1/projects/PHX/phases', { auth: admin }));
    phases.at(-1)!.name = { en: 'Handed over', zh: '已移交' };
    await page.getByRole('textbox', { name: 'Phases' }).fill(JSON.stringify(phases));
    await go(page, () => page.getByRole('button', { name: 'Save phases' }).click());
    await expect(page.getByTestId('phase-list').innerText()).resolves.toContain('Handed over');
    expect((await api('/api/v1/projects/PHX/phases', { method: 'PUT', auth: admin, json: phases.map((p) => (p.key === 'closed' ? { ...p, name: { en: 'Closed', zh: '结项' } } : p)) })).status).toBe(200);
    await page.context().close();
  });

  it('reaches recent changes and recently viewed pages from the home page', async () => {
    const page = await signedInPage(browser);
    await go(page, () => page.getByRole('link', { name: 'Recent changes', exact: true }).click());
    expect(new URL(page.url()).pathname).toBe('/recent');
    await page.getByRole('combobox', { name: 'Space' }).selectOption('phx');
    await go(page, () => page.getByRole('button', { name: 'Show' }).click());
    expect(new URL(page.url()).search).toBe('?space=phx');
    const feed = page.getByTestId('recent-changes');
    expect(await feed.getByTestId('recent-space').count()).toBe(0); // one space: not named on each line
    await go(page, () => feed.getByRole('link', { name: 'Phoenix plan 计划' }).click());
    expect(new URL(page.url()).pathname).toBe('/s/phx/plan');
    // Viewed pages are written about once a second.
    await page.waitForTimeout(1500);
    await page.goto('/');
    const viewed = page.getByTestId('recently-viewed');
    await expect(viewed.getByRole('link', { name: 'Phoenix plan 计划' }).isVisible()).resolves.toBe(true);
    await go(page, () => page.getByRole('link', { name: 'All recently viewed pages' }).click());
    expect(new URL(page.url()).pathname).toBe('/recent');
    await go(page, () => page.getByTestId('recently-viewed').getByRole('link', { name: 'Phoenix plan 计划' }).click());
    expect(new URL(page.url()).pathname).toBe('/s/phx/plan');
    await page.goto('/recent');
    await go(page, () => page.getByTestId('recent-changes').locator('li[data-kind=requirement] a').first().click());
    expect(new URL(page.url()).pathname).toMatch(/^\/p\/[A-Z0-9]+\/[A-Z0-9]+-\d+$/);
    await page.goto('/recent');
    // Across spaces, each page line names its space.
    const named = page.getByTestId('recent-changes').locator('li[data-kind=page]', { hasText: 'Phoenix plan 计划' }).first();
    const { name: phxName } = (await (await api('/api/v1/spaces/phx', { auth: admin })).json()) as { name: string };
    expect(await named.getByTestId('recent-space').textContent()).toBe(phxName);
    await shot(page, 'recent-en-desktop');
    await page.context().close();
  });

  it('looks right in Chinese and on a phone', async () => {
    for (const [locale, lang] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
      for (const [viewport, size] of [[{ width: 1280, height: 800 }, 'desktop'], [PHONE, 'phone']] as const) {
        const page = await signedInPage(browser, { locale, viewport });
        for (const [name, url] of [['overview', '/p/PHX/overview'], ['recent', '/recent'], ['home', '/']] as const) {
          await page.goto(url);
          // Nothing may be wider than the screen: the elements sticking out are named if something is.
          const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-scroll'))
            .map((e) => `${e.tagName.toLowerCase()}.${e.className}`).slice(0, 5));
          expect(wide, `${url} is wider than the ${size} screen`).toEqual([]);
          await shot(page, `${name}-${lang}-${size}`);
        }
        if (lang === 'zh') {
          await page.goto('/p/PHX/overview');
          await expect(page.getByRole('heading', { level: 2 }).first().innerText()).resolves.toBe('当前阶段：验收');
        }
        await page.context().close();
      }
    }
  });
});
