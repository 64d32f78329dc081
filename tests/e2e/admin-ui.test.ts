// Administration and account settings in real Chromium: a user, a group and a restricted space
// made through the forms, the "who can see this and why" table, API tokens, and both languages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

let browser: Browser;
beforeAll(async () => { browser = await launch(); });
afterAll(async () => { await browser?.close(); });

const submit = (page: Page, name: string) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).click()]);

describe('admin pages', () => {
  it('creates a user and a group, restricts a space to the group, and explains who can see it', async () => {
    const page = await signedInPage(browser);
    await page.locator('.usernav').getByRole('link', { name: 'Admin' }).click();
    expect(await page.locator('h1').textContent()).toBe('Administration');
    await page.locator('.subnav').getByRole('link', { name: 'Users' }).click();

    await page.locator('input[name=email]').fill('wu.fang@example.com');
    await page.locator('input[name=name]:visible').fill('吴芳');
    await submit(page, 'Add user');
    const password = (await page.getByTestId('secret').textContent())!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(await page.getByTestId('users').textContent()).toContain('wu.fang@example.com');
    await screenshot(page, 'admin-users-en-desktop');
    const wu = (await signIn({ email: 'wu.fang@example.com', password })).token;

    await page.locator('.subnav').getByRole('link', { name: 'Groups' }).click();
    await page.locator('input[name=name]:visible').fill('Legal team');
    await submit(page, 'Create group');
    const group = page.getByTestId('groups').locator('li', { hasText: 'Legal team' });
    await group.locator('summary').click();
    await group.locator('textarea').fill('wu.fang@example.com\n');
    await Promise.all([page.waitForEvent('load'), group.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await page.getByTestId('groups').locator('li', { hasText: 'Legal team' }).locator('summary').textContent()).toContain('members: 1');

    await page.locator('.subnav').getByRole('link', { name: 'Spaces' }).click();
    await page.locator('input[name=key]').fill('legal-vault');
    await page.locator('input[name=name]:visible').fill('Legal vault');
    await page.locator('form:has(input[name=key]) select[name=visibility]').selectOption('restricted');
    await submit(page, 'Create space');
    await page.waitForURL('**/admin/spaces/legal-vault');
    expect((await api('/api/v1/spaces/legal-vault', { auth: wu })).status).toBe(404);

    const blank = page.getByTestId('grants').locator('tbody tr').last();
    await blank.locator('select[name=kind]').selectOption('group');
    await blank.locator('input[name=who]').fill('Legal team');
    await blank.locator('select[name=role]').selectOption('reader');
    await submit(page, 'Save grants');
    const row = page.getByTestId('access').locator('tr', { hasText: 'wu.fang@example.com' });
    expect(await row.textContent()).toContain('via group Legal team: reader');
    expect(await page.getByTestId('access').locator('tr', { hasText: 'admin@example.com' }).textContent()).toContain('site admin');
    await screenshot(page, 'admin-space-permissions-en-desktop');
    expect((await api('/api/v1/spaces/legal-vault', { auth: wu })).status).toBe(200);

    await page.goto('/admin/spaces');
    expect(await page.getByTestId('spaces').locator('tr', { hasText: 'legal-vault' }).textContent()).toMatch(/Restricted.*1/);
    // People imported from the demo's spreadsheet (no account) are left out unless asked for; a name or email finds one person.
    await page.goto('/admin/users');
    const users = page.getByTestId('users');
    expect(await users.textContent()).not.toContain('imported.invalid');
    const showImported = page.getByLabel(/^Show people imported from spreadsheets \(\d+\)$/);
    await showImported.check();
    await Promise.all([page.waitForEvent('load'), page.getByTestId('users-filter').getByRole('button', { name: 'Filter' }).click()]);
    expect(await users.locator('tr', { hasText: 'imported from a spreadsheet' }).count()).toBeGreaterThan(0);
    expect(await users.locator('tr', { hasText: 'imported from a spreadsheet' }).first().locator('button').count()).toBe(0);
    await page.getByLabel('Name or email').fill('WU.FANG');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('users-filter').getByRole('button', { name: 'Filter' }).click()]);
    expect(await users.locator('tbody tr').allTextContents()).toEqual([expect.stringContaining('wu.fang@example.com')]);
    await page.goto('/admin/users');
    await Promise.all([page.waitForEvent('load'), page.getByTestId('users').locator('tr', { hasText: 'wu.fang' }).getByRole('button', { name: 'Deactivate' }).click()]);
    expect((await api('/api/v1/spaces', { auth: wu })).status).toBe(200); // not yet: first the list of what becomes orphaned
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Deactivate anyway' }).click()]);
    expect((await api('/api/v1/spaces', { auth: wu })).status).toBe(401);
    await page.context().close();
  });

  it('sets, refuses and clears a group\'s lead (who hears of SLA escalations) in English, and shows it in Chinese on a phone', async () => {
    const page = await signedInPage(browser);
    await page.goto('/admin/groups');
    await page.locator('input[name=name]:visible').fill('Desk team');
    await submit(page, 'Create group');
    const group = () => page.getByTestId('groups').locator('li', { hasText: 'Desk team' });
    expect(await group().getByTestId('lead').textContent()).toContain('No lead');
    const saveLead = async (email: string) => {
      await group().locator('summary').click();
      await group().getByLabel('Lead').fill(email);
      await Promise.all([page.waitForEvent('load'), group().getByRole('button', { name: 'Save lead' }).click()]);
    };
    await saveLead('ADMIN@example.com');
    expect(await group().getByTestId('lead').textContent()).toContain('lead: admin@example.com');
    await screenshot(page, 'admin-group-lead-en-desktop');
    await saveLead('nobody@example.com');
    // Refused: the group stays open with what was typed, the reason beside the field.
    expect(await group().locator('details').getAttribute('open')).not.toBeNull();
    expect(await group().getByRole('alert').textContent()).toContain('No user "nobody@example.com"');
    expect(await group().getByLabel('Lead').inputValue()).toBe('nobody@example.com');
    expect(await group().getByLabel('Lead').getAttribute('aria-invalid')).toBe('true');
    // A member list with one unknown address keeps every line typed.
    await group().getByLabel('Edit members').fill('admin@example.com\nghost@example.com\nli@example.com');
    await Promise.all([page.waitForEvent('load'), group().getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await group().getByRole('alert').textContent()).toContain('ghost@example.com');
    expect((await group().getByLabel('Edit members').inputValue()).trim()).toBe('admin@example.com\nghost@example.com\nli@example.com');
    expect(await page.locator('.notice.error').count()).toBe(1); // said once, where it applies
    await page.goto('/admin/groups');
    expect(await group().getByTestId('lead').textContent()).toContain('lead: admin@example.com'); // a refused lead changes nothing
    await saveLead('');
    expect(await group().getByTestId('lead').textContent()).toContain('No lead');
    await saveLead('admin@example.com');
    await page.context().close();

    for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
      const zh = await signedInPage(browser, { locale: 'zh-CN', viewport });
      await zh.goto('/admin/groups');
      const desk = zh.getByTestId('groups').locator('li', { hasText: 'Desk team' });
      expect(await desk.getByTestId('lead').textContent()).toContain('负责人：admin@example.com');
      await desk.locator('summary').click();
      expect(await desk.getByLabel('负责人').inputValue()).toBe('admin@example.com');
      expect(await desk.getByRole('button', { name: '保存负责人' }).count()).toBe(1);
      expect(await zh.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await screenshot(zh, `admin-group-lead-zh-${viewport.width < 500 ? 'phone' : 'desktop'}`);
      await zh.context().close();
    }
  });

  it('creates a read-only API token on the account page, shows it once, and revokes it', async () => {
    const page = await signedInPage(browser);
    await page.locator('.usernav').getByRole('link', { name: 'Account' }).click();
    await page.locator('input[name=name]').last().fill('backup script');
    await page.getByLabel('Read-only').check();
    await submit(page, 'Create token');
    const token = (await page.getByTestId('secret').textContent())!;
    expect(token).toMatch(/^dt_/);
    expect((await api('/api/v1/spaces', { auth: token })).status).toBe(200);
    expect((await api('/api/v1/tokens', { method: 'POST', auth: token, json: { name: 'x' } })).status).toBe(403);
    const row = page.getByTestId('tokens').locator('tr', { hasText: 'backup script' });
    expect(await row.textContent()).toContain('yes');
    await Promise.all([page.waitForEvent('load'), row.getByRole('button', { name: /Revoke/ }).click()]);
    expect(await page.getByText('backup script').count()).toBe(0);
    expect((await api('/api/v1/spaces', { auth: token })).status).toBe(401);
    await page.context().close();
  });

  it('switches to Chinese from the account settings, which later sign-ins keep', async () => {
    const page = await signedInPage(browser);
    await page.goto('/account');
    await page.locator('select[name=locale]').selectOption('zh-CN');
    await submit(page, 'Save');
    expect(await page.locator('h1').textContent()).toBe('我的账户');
    const headings: [string, string][] = [['/admin', '系统管理'], ['/admin/users', '用户'], ['/admin/groups', '用户组'], ['/admin/spaces', '空间'], ['/admin/spaces/legal-vault', 'Legal vault：设置与权限'], ['/admin/audit', '审计日志']];
    for (const [path, heading] of headings) {
      await page.goto(path);
      expect(await page.locator('h1').textContent()).toBe(heading);
    }
    await page.locator('select[name=action]').selectOption('space.grants');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '筛选' }).click()]);
    const first = page.getByTestId('audit').locator('tbody tr').first();
    expect(await first.textContent()).toContain('legal-vault');
    // Named in the reader's language, with its code; the filter offers names too.
    expect(await first.locator('td').nth(2).textContent()).toMatch(/修改空间权限\s*space\.grants/);
    expect(await page.locator('select[name=action] option:checked').textContent()).toBe('修改空间权限');
    await screenshot(page, 'admin-audit-zh-desktop');
    // A space's settings change reads field by field, not as two JSON documents.
    await page.locator('select[name=action]').selectOption('space.create');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '筛选' }).click()]);
    const created = page.getByTestId('audit').locator('tbody tr', { hasText: 'legal-vault' }).locator('td.change li');
    expect(await created.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\s*visibility\s*—\s*→\s*改为\s*restricted$/)]));
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'admin-audit-zh-phone');
    await page.context().close();

    const phone = await signedInPage(browser, { viewport: { width: 390, height: 844 } });
    try {
      await phone.goto('/account');
      expect(await phone.locator('h1').textContent()).toBe('我的账户');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await screenshot(phone, 'account-zh-phone');
      // The header's switch changes the language the account names: /account agrees with it.
      await Promise.all([phone.waitForEvent('load'), phone.getByRole('button', { name: 'English', exact: true }).click()]);
      expect(await phone.locator('h1').textContent()).toBe('Your account');
      expect(await phone.locator('select[name=locale]').inputValue()).toBe('en');
    } finally {
      // Other test files expect the admin's language to follow the browser again.
      await phone.goto('/account');
      await phone.locator('select[name=locale]').selectOption('');
      await Promise.all([phone.waitForEvent('load'), phone.locator('form:has(select[name=locale]) button[type=submit]').click()]);
      await phone.context().close();
    }
  });
});

describe('admin actions that ask first', () => {
  it('makes an admin, removes it and resets a password only after the confirmation; Cancel changes nothing', async () => {
    const { token: admin } = await signIn();
    await userToken(admin, 'otto.confirm@example.com', 'Otto Confirm');
    const page = await signedInPage(browser);
    // What the server holds, read from a fresh copy of the list: the Admin column.
    const isAdmin = async () => {
      const list = await page.context().newPage();
      await list.goto('/admin/users?q=otto.confirm');
      const cell = (await list.getByTestId('users').locator('tr', { hasText: 'otto.confirm@example.com' }).locator('td').nth(2).textContent())?.trim();
      await list.close();
      return cell === 'yes';
    };
    await page.goto('/admin/users?q=otto.confirm');
    const row = page.getByTestId('users').locator('tr', { hasText: 'otto.confirm@example.com' });
    const dialog = page.locator('#confirm-dialog');
    await row.getByRole('button', { name: 'Make admin' }).click();
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Make Otto Confirm a site admin?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await dialog.isVisible()).toBe(false);
    expect(await isAdmin()).toBe(false);
    await row.getByRole('button', { name: 'Make admin' }).click();
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Make admin' }).click()]);
    expect(await isAdmin()).toBe(true);
    await page.getByTestId('users').locator('tr', { hasText: 'otto.confirm@example.com' }).getByRole('button', { name: 'Remove admin' }).click();
    expect(await dialog.textContent()).toContain('Remove Otto Confirm’s admin rights?');
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Remove admin' }).click()]);
    expect(await isAdmin()).toBe(false);
    await page.getByTestId('users').locator('tr', { hasText: 'otto.confirm@example.com' }).getByRole('button', { name: 'Reset password' }).click();
    expect(await dialog.textContent()).toContain('Reset Otto Confirm’s password?');
    await screenshot(page, 'admin-users-confirm-en-desktop');
    await Promise.all([page.waitForEvent('load'), dialog.getByRole('button', { name: 'Reset password' }).click()]);
    const password = (await page.getByTestId('secret').textContent())!;
    expect((await signIn({ email: 'otto.confirm@example.com', password })).token).toBeTruthy();
    await page.context().close();
  });
});

describe('admin pages on a phone, in Chinese', () => {
  it('keep the users\' actions readable and each grant whole; a grant naming nobody is marked, not taken for saved', async () => {
    const phone = await signedInPage(browser, { phone: true, locale: 'zh-CN' });
    await phone.goto('/admin/users');
    // Each action button on one line, not a character per line.
    const heights = await phone.getByTestId('users').locator('.row-actions button').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(0);
    expect(Math.max(...heights)).toBeLessThan(40); // small buttons, one line each
    await screenshot(phone, 'admin-users-zh-phone');

    await phone.goto('/admin/spaces/legal-vault');
    const grants = phone.getByTestId('grants');
    for (const control of await grants.locator('select, input').all()) {
      const box = (await control.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const blank = grants.locator('tbody tr').last();
    await blank.locator('input[name=who]').fill('nobody@exmaple.com');
    await Promise.all([phone.waitForEvent('load'), phone.getByRole('button', { name: '保存授权' }).click()]);
    expect(await phone.locator('.notice.error').textContent()).toContain('nobody@exmaple.com');
    const typo = grants.locator('input[name=who][aria-invalid=true]');
    expect(await typo.inputValue()).toBe('nobody@exmaple.com');
    expect(await typo.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await grants.locator('input[aria-invalid=true]').count()).toBe(1);
    await screenshot(phone, 'admin-grants-zh-phone');
    await phone.context().close();
  });
});
