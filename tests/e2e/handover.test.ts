// Handover through the real server: the API (holdings, handover, orphans) for admins and, as a
// missing route, for everyone else; then the admin screens in Chromium, every button clicked, in
// both languages on desktop and phone (screenshots into /tmp/shots-handover/).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

const SHOTS = '/tmp/shots-handover';
let browser: Browser;
let admin = '';
let plain = '';
const ids: Record<string, number> = {};

const json = async <T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<{ status: number; body: T }> => {
  const r = await res;
  return { status: r.status, body: (await r.json()) as T };
};
/** A new user (their id kept in `ids`) and a token of theirs. */
async function person(email: string, name: string): Promise<string> {
  const password = 'a long enough password 42';
  const created = await json<{ id: number }>(api('/api/v1/users', { method: 'POST', auth: admin, json: { email, name, password } }));
  expect(created.status).toBe(201);
  ids[email] = created.body.id;
  return (await signIn({ email, password })).token;
}
type Orphans = { total: number; holders: { email: string }[]; requirements: { items: { assignee: string }[] } };

/** A person holding an owned project, its routing rule, a queue membership and open requirements. */
async function leaverWithWork(email: string, name: string, project: string): Promise<void> {
  await person(email, name);
  expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: project, name: `${name}'s project`, owner: email } })).status).toBe(201);
  expect((await api(`/api/v1/projects/${project}/rules`, { method: 'PUT', auth: admin, json: [{ category: 'issue', assignee: email }] })).status).toBe(200);
  for (const title of ['Login broken', '报表错误']) {
    expect((await api(`/api/v1/projects/${project}/requirements`, { method: 'POST', auth: admin, json: { title, category: 'issue' } })).status).toBe(201);
  }
}

beforeAll(async () => {
  ({ token: admin } = await signIn());
  plain = await person('ho.plain@example.com', 'Plain Person');
  await person('ho.heir@example.com', '王芳 Wang Fang');
  expect((await api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'ho-support' } })).status).toBe(201);
  await leaverWithWork('ho.leaver@example.com', '张敏 Zhang Min', 'HOA');
  await leaverWithWork('ho.quitter@example.com', 'Quinn Quitter', 'HOB');
  await api('/api/v1/groups/ho-support/members', { method: 'PUT', auth: admin, json: { emails: ['ho.leaver@example.com'] } });
  // The support queue reads a restricted space: whoever joins it in a handover can read it too.
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'ho-vault', name: 'Vault', kind: 'general', visibility: 'restricted' } })).status).toBe(201);
  expect((await api('/api/v1/spaces/ho-vault/grants', { method: 'PUT', auth: admin, json: [{ group: 'ho-support', role: 'reader' }] })).status).toBe(200);
  browser = await launch();
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => { await browser?.close(); });

describe('the API', () => {
  it('lists holdings for a site admin', async () => {
    const { status, body } = await json(api(`/api/v1/users/${ids['ho.leaver@example.com']}/holdings?limit=1`, { auth: admin }));
    expect(status).toBe(200);
    expect(body).toMatchObject({
      user: { email: 'ho.leaver@example.com', active: true },
      requirements: { count: 2, items: [{ key: 'HOA-1', title: 'Login broken', project: 'HOA' }] },
      groups: { count: 1, items: [{ name: 'ho-support' }] },
      rules: { count: 1, items: [{ project: 'HOA', rule: 1, category: 'issue', tag: null }] },
      projects: { count: 1, items: [{ key: 'HOA' }] },
      spaces: { count: 1, items: [{ key: 'hoa', onlyAdmin: true }] },
    });
  });

  it('is a missing route to anyone but a site admin, before the body is read', async () => {
    const id = ids['ho.leaver@example.com'];
    const missing = await json(api('/api/v1/users/999999/holdings', { auth: admin }));
    expect(missing).toEqual({ status: 404, body: { error: 'Not found' } });
    for (const [p, method, body] of [[`/api/v1/users/${id}/holdings`, 'GET'], [`/api/v1/users/${id}/handover`, 'POST', { to: 'ho.plain@example.com' }], ['/api/v1/admin/orphans', 'GET'], [`/api/v1/users/${id}/handover`, 'POST', 'not json']] as const) {
      const res = await json(api(p, { method, auth: plain, ...(body === 'not json' ? { body, headers: { 'content-type': 'application/json' } } : body ? { json: body } : {}) }));
      expect([p, res]).toEqual([p, missing]);
    }
    expect((await api(`/api/v1/users/${id}/holdings`)).status).toBe(401);
  });

  it('refuses a bad successor with 422 naming the field, and changes nothing', async () => {
    const id = ids['ho.leaver@example.com'];
    const before = await (await api(`/api/v1/users/${id}/holdings`, { auth: admin })).text();
    const cases: [unknown, string][] = [
      [{ to: 'nobody@example.com' }, 'to'],
      [{ to: 'ho.leaver@example.com' }, 'to'],
      [{ to: 'ho.heir@example.com', successors: { rules: 'nobody@example.com' } }, 'successors.rules'],
    ];
    for (const [body, field] of cases) {
      const res = await json<{ error: string; field: string }>(api(`/api/v1/users/${id}/handover`, { method: 'POST', auth: admin, json: { ...(body as object), deactivate: true } }));
      expect(res.status).toBe(422);
      expect(res.body.field).toBe(field);
      expect(res.body.error).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    }
    expect(await (await api(`/api/v1/users/${id}/holdings`, { auth: admin })).text()).toBe(before);
  });
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe('the admin screens', () => {
  it('deactivating without a handover lists what becomes orphaned, and the orphans report shows it', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin/users');
    const row = page.getByTestId('users').locator('tr', { hasText: 'ho.quitter@example.com' });
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: 'Deactivate' }).click()]);
    const confirm = page.getByTestId('deactivate-confirm');
    expect(await confirm.getByTestId('count-requirements').textContent()).toBe('2');
    expect(await confirm.textContent()).toContain('only admin');
    // Cancel first: nothing happens.
    await Promise.all([page.waitForEvent('load'), confirm.getByRole('link', { name: 'Cancel' }).click()]);
    expect((await json<{ user: { active: boolean } }>(api(`/api/v1/users/${ids['ho.quitter@example.com']}/holdings`, { auth: admin }))).body.user.active).toBe(true);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Deactivate without handover…' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Deactivate anyway' }).click()]);
    expect(await page.getByRole('status').textContent()).toContain('is deactivated');

    // Routing skips the rule naming them, and the requirement says so.
    const routed = await json<{ key: string; routedBy: unknown }>(api('/api/v1/projects/HOB/requirements', { method: 'POST', auth: admin, json: { title: 'After they left', category: 'issue' } }));
    expect(routed.body.routedBy).toEqual({ via: 'owner', skipped: [{ rule: 1, assignee: 'ho.quitter@example.com', group: null, reason: 'inactive' }] });
    await page.goto(`/p/HOB/${routed.body.key}`);
    expect(await page.getByTestId('routed-by').textContent()).toContain('rule 1 skipped: ho.quitter@example.com is inactive');
    // The work they held says its assignee left.
    expect((await json<{ assignee: unknown }>(api('/api/v1/requirements/HOB-1', { auth: admin }))).body.assignee).toEqual({ email: 'ho.quitter@example.com', name: 'Quinn Quitter', active: false });
    await page.goto('/p/HOB/HOB-1');
    expect(await page.getByTestId('assignee').innerText()).toBe('Quinn Quitter inactive');

    await page.goto('/admin');
    await Promise.all([page.waitForEvent('load'), page.locator('.subnav').getByRole('link', { name: 'Orphans' }).click()]);
    expect(await page.getByTestId('orphan-holders').textContent()).toContain('ho.quitter@example.com');
    expect(await page.locator('main').textContent()).toContain('HOB-1');
    await shoot(page, 'orphans-listed-en-desktop');
    const phone = await signedInPage(browser, { locale: 'zh-CN', viewport: { width: 390, height: 844 } });
    await phone.goto('/admin/orphans');
    expect(await phone.locator('h1').textContent()).toBe('无人负责');
    await shoot(phone, 'orphans-listed-zh-phone');
    await phone.context().close();
    // Hand over from the report: its link leads to the person's page.
    await Promise.all([page.waitForEvent('load'), page.getByTestId('orphan-holders').locator('li', { hasText: 'ho.quitter' }).getByRole('link', { name: 'Hand over' }).click()]);
    await page.locator('select[name=to]').selectOption('ho.heir@example.com');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Review the handover' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Hand over now' }).click()]);
    expect(await page.getByTestId('handover-done').textContent()).toContain('ho.heir@example.com');
    const orphans = (await json<Orphans>(api('/api/v1/admin/orphans', { auth: admin }))).body;
    expect(orphans.holders.map((h) => h.email)).not.toContain('ho.quitter@example.com');
    expect((await json<{ assignee: unknown }>(api('/api/v1/requirements/HOB-1', { auth: admin }))).body.assignee).toEqual({ email: 'ho.heir@example.com', name: '王芳 Wang Fang', active: true });
    await page.goto('/p/HOB/HOB-1');
    expect(await page.getByTestId('assignee').innerText()).toBe('王芳 Wang Fang');
    await page.context().close();
  });

  it('hands everything over in one form with a confirmation step, and nothing is left orphaned', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin/users');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('users').getByRole('link', { name: 'ho.leaver@example.com' }).click()]);
    const holdings = page.getByTestId('holdings');
    expect(await holdings.getByTestId('count-requirements').textContent()).toBe('2');
    expect(await holdings.textContent()).toContain('HOA-1 Login broken');
    await shoot(page, 'user-en-desktop');

    // Review without a successor: the browser asks for one; a bad choice comes back as an error.
    await page.locator('select[name=to]').selectOption('ho.heir@example.com');
    await page.locator('summary', { hasText: 'A different successor for some kinds' }).click();
    await page.locator('select[name=successor-groups]').selectOption('ho.plain@example.com');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Review the handover' }).click()]);
    const confirm = page.getByTestId('handover-confirm');
    const text = (await confirm.textContent())!;
    expect(text).toContain('Open requirements assigned: 2 → ho.heir@example.com');
    expect(text).toContain('Queue (group) memberships: 1 → ho.plain@example.com');
    // What joining the queue opens, before anyone confirms it.
    expect(await confirm.getByTestId('handover-access').textContent()).toContain('ho.plain@example.com becomes reader of the space ho-vault.');
    expect(text).toContain('will be deactivated');
    await shoot(page, 'confirm-en-desktop');
    await Promise.all([page.waitForEvent('load'), confirm.getByRole('link', { name: 'Cancel' }).click()]);
    expect(await page.getByTestId('handover-form').isVisible()).toBe(true);

    await page.locator('select[name=to]').selectOption('ho.heir@example.com');
    await page.locator('summary', { hasText: 'A different successor for some kinds' }).click();
    await page.locator('select[name=successor-groups]').selectOption('ho.plain@example.com');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Review the handover' }).click()]);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Hand over now' }).click()]);
    expect(await page.getByTestId('handover-done').textContent()).toMatch(/Handed over \d+ items from ho\.leaver@example\.com to ho\.heir@example\.com/);
    expect(await page.getByTestId('count-requirements').textContent()).toBe('0');
    expect(await page.locator('h1').textContent()).toContain('Inactive');

    const req = await json<{ assignee: { email: string } }>(api('/api/v1/requirements/HOA-1', { auth: admin }));
    expect(req.body.assignee.email).toBe('ho.heir@example.com');
    const plainHoldings = await json<{ groups: { items: { name: string }[] } }>(api(`/api/v1/users/${ids['ho.plain@example.com']}/holdings`, { auth: admin }));
    expect(plainHoldings.body.groups.items).toEqual([{ name: 'ho-support' }]);
    const orphans = (await json<Orphans>(api('/api/v1/admin/orphans', { auth: admin }))).body;
    expect(orphans.holders.map((h) => h.email)).not.toContain('ho.leaver@example.com');
    expect(orphans.requirements.items.filter((r) => r.assignee.startsWith('ho.'))).toEqual([]);

    // The requirement's history says who handed it over, from whom, to whom.
    await page.goto('/p/HOA/HOA-1');
    expect(await page.getByTestId('timeline').locator('[data-kind=handed_over]').textContent()).toContain('handed it over from 张敏 Zhang Min to 王芳 Wang Fang');
    await shoot(page, 'requirement-handed-over-en-desktop');
    // The project's overview lists the handover among its activity (it once answered 500 there).
    const overview = await page.goto('/p/HOA/overview?kind=requirement');
    expect(overview!.status()).toBe(200);
    expect(await page.locator('main').textContent()).toContain('handed it over');
    await page.context().close();
  });

  it('looks right in Chinese and on a phone', async () => {
    const heir = ids['ho.heir@example.com'];
    for (const [locale, lang] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
        const page = await signedInPage(browser, { locale, viewport });
        await page.goto(`/admin/users/${heir}`);
        expect(await page.locator('h1').textContent()).toContain('王芳');
        if (lang === 'zh') expect(await page.getByTestId('holdings').textContent()).toContain('负责的未完成需求');
        await shoot(page, `user-${lang}-${device}`);
        await page.locator('select[name=to]').selectOption('ho.plain@example.com');
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: lang === 'zh' ? '核对交接内容' : 'Review the handover' }).click()]);
        await shoot(page, `confirm-${lang}-${device}`);
        await page.goto('/admin/orphans');
        await shoot(page, `orphans-${lang}-${device}`);
        await page.context().close();
      }
    }
  });
});
