// Controls match permissions, in real Chromium: a reader (read grant only) is offered no Edit, New
// page, Move, Delete, Restore, Undelete, Create, import, board-move or settings control on the
// page, space home, history, deleted pages and project screens, and opening ?edit, ?new, ?move or
// ?delete says "you cannot edit this space" (403) instead of showing a form; the server still
// refuses each form post. An editor has every control, and they work: delete asks first (a dialog
// with JavaScript, a ?delete screen without) and offers Undo; move says what moves and offers to
// move back. Screenshots in both languages on a desktop and a phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { join } from 'node:path';
import { launch, screenshot, screenshotDir } from './browser.ts';
import { api, base, signIn, userToken } from './http.ts';

const PASSWORD = 'a long enough password 42'; // what userToken gives its users
const READER = 'ctl.reader@example.com';
const EDITOR = 'ctl.editor@example.com';
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let admin = '';
const cookies = { reader: '', editor: '' };
const tokens = { reader: '', editor: '' };

const ok = async (res: Promise<Response>, what: string) => {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${await r.text()}`);
  return r;
};
const putPage = (path: string, title: string, markdown: string) =>
  ok(api(`/api/v1/pages/ctl/${path}`, { method: 'PUT', auth: admin, json: { title, markdown } }), path);
const pageStatus = async (path: string) => (await api(`/api/v1/pages/ctl/${path}`, { auth: admin })).status;

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  tokens.reader = await userToken(admin, READER, 'Reader Rong');
  tokens.editor = await userToken(admin, EDITOR, 'Editor Eva');
  cookies.reader = (await signIn({ email: READER, password: PASSWORD })).cookie;
  cookies.editor = (await signIn({ email: EDITOR, password: PASSWORD })).cookie;
  await ok(api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'ctl', name: 'Controls 控件', kind: 'general', visibility: 'restricted' } }), 'space');
  await ok(api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'CTLP', name: 'Controls project', visibility: 'restricted' } }), 'project');
  for (const space of ['ctl', 'ctlp']) {
    await ok(api(`/api/v1/spaces/${space}/grants`, { method: 'PUT', auth: admin, json: [{ user: READER, role: 'reader' }, { user: EDITOR, role: 'editor' }] }), 'grants');
  }
  await putPage('', 'Controls home', 'The home of the controls space.');
  await putPage('handbook', 'Handbook', 'First version.');
  await ok(api('/api/v1/pages/ctl/handbook', { method: 'PUT', auth: admin, json: { markdown: 'Second version.', baseRevision: 1 } }), 'handbook 2');
  for (const p of ['handbook/a', 'handbook/a/deep', 'handbook/b']) await putPage(p, `Handbook ${p.split('/').pop()}`, 'Part of the handbook.');
  await putPage('old-notes', 'Old notes', 'Notes nobody needs.');
  await putPage('scratch', 'Scratch', 'Deleted in the setup, restorable.');
  await ok(api('/api/v1/pages/ctl/scratch', { method: 'DELETE', auth: admin }), 'delete scratch');
  await ok(api('/api/v1/projects/CTLP/requirements', { method: 'POST', auth: admin, json: { title: 'Export to PDF', category: 'feature' } }), 'requirement');
});
afterAll(async () => { await browser?.close(); });

async function open(who: 'reader' | 'editor', opts: { locale?: string; viewport?: { width: number; height: number }; javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({
    baseURL: base(), locale: opts.locale ?? 'en-US', viewport: opts.viewport ?? { width: 1280, height: 800 }, javaScriptEnabled: opts.javaScript ?? true,
  });
  const [name, value] = cookies[who].split('=') as [string, string];
  await context.addCookies([{ name, value, url: base() }]);
  return context.newPage();
}

/** The page-changing controls on the current screen, by what a person sees. */
async function controlsShown(page: Page) {
  const main = page.locator('main');
  const count = (role: 'link' | 'button', name: string | RegExp) => main.getByRole(role, { name, exact: typeof name === 'string' }).count();
  return {
    edit: await count('link', 'Edit'),
    newPage: await count('link', 'New page'),
    move: await count('link', 'Move'),
    delete: (await count('link', 'Delete')) + (await count('button', /^Delete/)),
    restore: await count('button', /^Restore/),
    create: await count('link', 'Create it'),
    // Comments and watching are open to readers; every other form changes the page.
    forms: await main.locator('form[method=post]:not(#comments form, .watch-bar form)').count(),
  };
}
const none = { edit: 0, newPage: 0, move: 0, delete: 0, restore: 0, create: 0, forms: 0 };

describe('a reader', () => {
  it('is offered no page-changing control on the page, space home, history, deleted pages or a missing page', async () => {
    const page = await open('reader');
    for (const url of ['/s/ctl/handbook', '/s/ctl', '/s/ctl/handbook?history', '/s/ctl?deleted', '/s/ctl/handbook/a?diff&from=1&to=1', '/s/ctl/handbook?rev=1']) {
      const res = await page.goto(url);
      expect(res!.status(), url).toBe(200);
      expect(await controlsShown(page), url).toEqual(none);
      expect(await page.locator('dialog').count(), url).toBe(0);
      expect(await page.locator('.sidebar').getByRole('link', { name: 'Permissions' }).count(), url).toBe(0);
    }
    // The reader still sees what there is to read: the history and the deleted page's title.
    await page.goto('/s/ctl/handbook?history');
    expect(await page.locator('table.list tbody tr').count()).toBe(2);
    await page.goto('/s/ctl?deleted');
    expect(await page.locator('main table.list').textContent()).toContain('Scratch');
    const missing = await page.goto('/s/ctl/not-written-yet');
    expect(missing!.status()).toBe(404);
    expect(await page.locator('main').textContent()).toContain('This page does not exist yet.');
    expect(await controlsShown(page)).toEqual(none);
    await page.context().close();
  });

  it('opening ?edit, ?new, ?move or ?delete is told "you cannot edit this space" (403), with the page read-only', async () => {
    for (const [locale, text] of [['en-US', 'You cannot edit this space'], ['zh-CN', '你没有编辑此空间的权限']] as const) {
      const page = await open('reader', { locale });
      for (const query of ['?edit', '?new', '?move', '?delete']) {
        for (const path of ['/s/ctl/handbook', '/s/ctl/not-written-yet']) {
          const res = await page.goto(`${path}${query}`);
          expect(res!.status(), `${path}${query}`).toBe(403);
          expect(await page.getByTestId('cannot-edit').textContent()).toContain(text);
          expect(await page.locator(':is(textarea, input[name=parent], input[name=name], input[name=title]):not(#comments *)').count()).toBe(0);
          expect(await page.locator('main form[method=post]:not(#comments form, .watch-bar form)').count()).toBe(0);
        }
      }
      await page.goto('/s/ctl/handbook?edit');
      expect(await page.locator('article.prose').textContent()).toContain('Second version.');
      await screenshot(page, `controls-reader-denied-${locale}`);
      await page.context().close();
    }
  });

  it('is refused by the server when it posts the forms anyway, and nothing changes', async () => {
    const post = (path: string, fields: Record<string, string>) => fetch(`${base()}${path}`, {
      method: 'POST', redirect: 'manual', headers: { cookie: cookies.reader, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields),
    });
    const attempts: [string, Record<string, string>][] = [
      ['/s/ctl/handbook', { _action: 'delete' }],
      ['/s/ctl/handbook?move', { _action: 'move', to: 'stolen' }],
      ['/s/ctl/handbook?edit', { _action: 'save', title: 'Handbook', markdown: 'Reader was here', baseRevision: '2' }],
      ['/s/ctl/reader-page?new', { _action: 'save', title: 'Reader page', markdown: 'x', path: 'reader-page' }],
      ['/s/ctl/handbook?history', { _action: 'restore', rev: '1' }],
    ];
    for (const [path, fields] of attempts) {
      const res = await post(path, fields);
      expect(res.status, `${path} ${fields._action}`).toBe(403);
      expect(await res.text()).toContain('You cannot edit this space');
    }
    const handbook = (await (await api('/api/v1/pages/ctl/handbook', { auth: admin })).json()) as { revision: number; markdown: string };
    expect(handbook).toMatchObject({ revision: 2, markdown: 'Second version.' });
    expect(await pageStatus('stolen')).toBe(404);
    expect(await pageStatus('reader-page')).toBe(404);
    expect((await api('/api/v1/pages/ctl/handbook', { method: 'DELETE', auth: tokens.reader })).status).toBe(403);
    expect((await api('/api/v1/pages/ctl/handbook', { method: 'PATCH', auth: tokens.reader, json: { path: 'stolen' } })).status).toBe(403);
    expect(await pageStatus('handbook')).toBe(200);
  });

  it('on project screens sees no import, settings, board moves, requirement moves or edits, nor the new-project form', async () => {
    const page = await open('reader');
    await page.goto('/p/CTLP');
    expect(await page.getByRole('link', { name: 'Import' }).count()).toBe(0);
    expect(await page.locator('.project-tabs').getByRole('link', { name: 'Settings' }).count()).toBe(0);
    // Readers may submit requirements: that entry point stays.
    expect(await page.locator('main .actions').getByRole('link', { name: 'New requirement' }).count()).toBe(1);
    await page.goto('/p/CTLP/board');
    expect(await page.locator('.card-moves').count()).toBe(0);
    await page.goto('/p/CTLP/CTLP-1');
    expect(await page.getByTestId('moves').count()).toBe(0);
    expect(await page.locator('input[name=_action][value=edit], input[name=_action][value=link]').count()).toBe(0);
    expect((await page.goto('/p/CTLP/import'))!.status()).toBe(403);
    expect(await page.locator('input[type=file], textarea').count()).toBe(0);
    expect((await page.goto('/p/CTLP/settings'))!.status()).toBe(404);
    await page.goto('/p');
    expect(await page.getByRole('heading', { name: 'New project' }).count()).toBe(0);
    await page.context().close();
  });
});

describe('an editor', () => {
  it('sees every control where it applies', async () => {
    const page = await open('editor');
    await page.goto('/s/ctl/handbook');
    expect(await controlsShown(page)).toMatchObject({ edit: 1, newPage: 1, move: 1, delete: 1 });
    await page.goto('/s/ctl');
    // The home page is not moved or deleted.
    expect(await controlsShown(page)).toMatchObject({ edit: 1, newPage: 1, move: 0, delete: 0 });
    await page.goto('/s/ctl/handbook?history');
    expect(await page.getByRole('button', { name: 'Restore this revision' }).count()).toBe(1);
    await page.goto('/s/ctl?deleted');
    expect(await page.locator('main').getByRole('button', { name: 'Restore' }).count()).toBeGreaterThan(0);
    await page.goto('/p/CTLP');
    expect(await page.getByRole('link', { name: 'Import' }).count()).toBe(1);
    await page.goto('/p/CTLP/board');
    expect(await page.locator('.card-moves').count()).toBe(1);
    await page.context().close();
  });

  it('follows Edit, New page and Create it to working forms', async () => {
    const page = await open('editor');
    await page.goto('/s/ctl/handbook');
    await page.locator('main').getByRole('link', { name: 'Edit', exact: true }).click();
    await page.waitForURL('**/s/ctl/handbook?edit');
    expect(await page.locator('textarea[name=markdown]').inputValue()).toContain('Second version.');
    await page.goto('/s/ctl/handbook');
    await page.locator('main').getByRole('link', { name: 'New page', exact: true }).click();
    await page.waitForURL('**/s/ctl/handbook?new');
    await page.locator('form[data-editor] input[name=title]').fill('Handbook c');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL('**/s/ctl/handbook/handbook-c');
    await page.goto('/s/ctl/not-written-yet');
    await page.getByRole('link', { name: 'Create it' }).click();
    await page.waitForURL('**/s/ctl/not-written-yet?edit');
    expect(await page.locator('textarea[name=markdown]').count()).toBe(1);
    // A folder of pages without a page of its own (where a breadcrumb leads) is a place, not a missing page.
    await putPage('runbooks/backup', 'Backup runbook', 'Steps.');
    const folder = await page.goto('/s/ctl/runbooks');
    expect(folder!.status()).toBe(200);
    expect(await page.locator('main').textContent()).toContain('This folder has no page of its own yet');
    expect(await page.locator('main ul.children').getByRole('link').allInnerTexts()).toEqual(['Backup runbook']);
    await page.getByRole('link', { name: 'Write a page for this folder' }).click();
    await page.waitForURL('**/s/ctl/runbooks?edit');
    expect(await page.locator('textarea[name=markdown]').count()).toBe(1);
    await page.context().close();
  });

  it('deletes only after confirming in a dialog, then undoes it', async () => {
    const page = await open('editor');
    await page.goto('/s/ctl/old-notes');
    await page.locator('main .actions').getByRole('link', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Old notes”?' });
    await dialog.waitFor({ state: 'visible' });
    expect(page.url()).toMatch(/\/s\/ctl\/old-notes$/); // the dialog, not a new screen
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await screenshot(page, 'controls-delete-dialog-en-desktop');
    await dialog.getByRole('link', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await pageStatus('old-notes')).toBe(200);

    await page.locator('main .actions').getByRole('link', { name: 'Delete' }).click();
    await dialog.getByRole('button', { name: 'Delete page' }).click();
    await page.waitForURL(/\/s\/ctl\?removed=\d+$/);
    const afterDelete = page.url();
    expect(await pageStatus('old-notes')).toBe(404);
    const undo = page.getByTestId('undo-delete');
    expect(await undo.textContent()).toContain('Deleted “Old notes”.');
    await screenshot(page, 'controls-deleted-undo-en-desktop');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL('**/s/ctl/old-notes');
    expect(await page.locator('h1').textContent()).toBe('Old notes');
    expect(await pageStatus('old-notes')).toBe(200);
    // The undo is offered once: the page is back, so the old address offers nothing.
    await page.goto(afterDelete);
    expect(await page.getByTestId('undo-delete').count()).toBe(0);
    await page.context().close();
  });

  it('without JavaScript, Delete opens a confirmation screen that deletes, and returns to the page above', async () => {
    const page = await open('editor', { javaScript: false });
    await page.goto('/s/ctl/handbook/b');
    await page.locator('main .actions').getByRole('link', { name: 'Delete' }).click();
    await page.waitForURL('**/s/ctl/handbook/b?delete');
    const confirm = page.getByTestId('delete-confirm');
    expect(await confirm.getByRole('heading').textContent()).toBe('Delete “Handbook b”?');
    expect(await pageStatus('handbook/b')).toBe(200);
    await confirm.getByRole('link', { name: 'Cancel' }).click();
    await page.waitForURL('**/s/ctl/handbook/b');
    await page.goto('/s/ctl/handbook/b?delete');
    await page.getByTestId('delete-confirm').getByRole('button', { name: 'Delete page' }).click();
    await page.waitForURL(/\/s\/ctl\/handbook\?removed=\d+$/);
    expect(await page.locator('h1').textContent()).toBe('Handbook');
    expect(await pageStatus('handbook/b')).toBe(404);
    await page.getByTestId('undo-delete').getByRole('button', { name: 'Undo' }).click();
    await page.waitForURL('**/s/ctl/handbook/b');
    expect(await pageStatus('handbook/b')).toBe(200);
    await page.context().close();
  });

  it('moves a page with what is under it after saying so, then moves it back', async () => {
    const page = await open('editor');
    await page.goto('/s/ctl/handbook');
    await page.locator('main .actions').getByRole('link', { name: 'Move' }).click();
    await page.waitForURL('**/s/ctl/handbook?move');
    // handbook/a, handbook/a/deep, handbook/b and handbook/handbook-c (made above) move with it.
    expect(await page.getByTestId('move-what').textContent()).toBe('This moves “Handbook” and the 4 pages under it.');
    // Where to: a page picked by a word of its title (offered as you type), and the page's own name.
    expect(await page.locator('input[name=name]').inputValue()).toBe('handbook');
    await page.locator('input[name=parent]').pressSequentially('Old');
    const oldNotes = page.locator('#move-parents option[value="old-notes"]');
    await oldNotes.waitFor({ state: 'attached' });
    expect(await oldNotes.getAttribute('label')).toBe('Old notes');
    await page.locator('input[name=parent]').fill('guides');
    await page.getByRole('button', { name: 'Move 5 pages' }).click();
    await page.waitForURL('**/s/ctl/guides/handbook?moved-from=handbook');
    expect(await pageStatus('guides/handbook/a/deep')).toBe(200);
    // The old paths lead to the pages where they are now: links in mail and chat keep working.
    const moved = await api('/api/v1/pages/ctl/handbook/a/deep', { auth: admin });
    expect([moved.status, moved.headers.get('location')]).toEqual([302, '/api/v1/pages/ctl/guides/handbook/a/deep']);
    const tab = await page.context().newPage();
    await tab.goto('/s/ctl/handbook/a?history');
    expect(new URL(tab.url()).pathname + new URL(tab.url()).search).toBe('/s/ctl/guides/handbook/a?history');
    expect(await tab.getByTestId('event-line').first().textContent()).toContain('Moved from handbook/a to guides/handbook/a');
    await tab.close();
    const back = page.getByTestId('undo-move');
    expect(await back.textContent()).toContain('Moved here from handbook.');
    await screenshot(page, 'controls-moved-en-desktop');
    await back.getByRole('button', { name: 'Move back' }).click();
    await page.waitForURL('**/s/ctl/handbook?moved-from=guides%2Fhandbook');
    expect(await pageStatus('handbook/a/deep')).toBe(200);
    expect((await api('/api/v1/pages/ctl/guides/handbook', { auth: admin })).headers.get('location')).toBe('/api/v1/pages/ctl/handbook');
    // Both moves are in the page's history, newest first.
    await page.goto('/s/ctl/handbook?history');
    expect(await page.getByTestId('event-line').allTextContents()).toEqual([
      expect.stringContaining('Moved from guides/handbook to handbook'), expect.stringContaining('Moved from handbook to guides/handbook'),
    ]);
    await screenshot(page, 'controls-history-moves-en-desktop');
    const zh = await open('editor', { locale: 'zh-CN', viewport: PHONE });
    await zh.goto('/s/ctl/handbook?history');
    expect(await zh.getByTestId('event-line').first().textContent()).toContain('从 guides/handbook 移动到 handbook');
    await screenshot(zh, 'controls-history-moves-zh-phone');
    await zh.context().close();
    // "Move back" is offered only for the move just made, not for a path a link names.
    await page.goto('/s/ctl/handbook?moved-from=somewhere%2Felse');
    await page.locator('main h1').first().waitFor();
    expect(await page.getByTestId('undo-move').count()).toBe(0);
    await page.context().close();
  });

  it('restores a deleted page from the deleted pages', async () => {
    const page = await open('editor');
    await page.setViewportSize(PHONE); // on a phone too: the button whole, not a letter per line
    await page.goto('/s/ctl?deleted');
    const row = page.locator('main table.list tr', { hasText: 'Scratch' });
    expect((await row.getByRole('button', { name: 'Restore' }).boundingBox())!.height).toBeLessThan(55); // one line
    await row.getByRole('button', { name: 'Restore' }).click();
    await page.waitForURL('**/s/ctl/scratch');
    expect(await pageStatus('scratch')).toBe(200);
    await page.goto('/s/ctl/scratch?history');
    expect(await page.getByTestId('event-line').allTextContents()).toEqual([
      expect.stringMatching(/Editor Eva.*Restored from the deleted pages/), expect.stringMatching(/Deleted$/),
    ]);
    const events = await (await api('/api/v1/revisions/ctl/scratch?include=events', { auth: admin })).json() as { kind: string; action?: string }[];
    expect(events.map((e) => e.action ?? e.kind)).toEqual(['page.restore', 'page.delete', 'revision']);
    // The older view keeps to owners and reviews.
    const ownership = await (await api('/api/v1/revisions/ctl/scratch?include=ownership', { auth: admin })).json() as { kind: string }[];
    expect(ownership.map((e) => e.kind)).toEqual(['revision']);
    await page.context().close();
  });
});

describe('screenshots', () => {
  it('a page as reader and as editor, and the delete confirmation, in both languages on a desktop and a phone', async () => {
    for (const locale of ['en-US', 'zh-CN']) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', PHONE]] as const) {
        for (const who of ['reader', 'editor'] as const) {
          const page = await open(who, { locale, viewport });
          await page.goto('/s/ctl/handbook');
          await screenshot(page, `controls-page-${who}-${locale}-${device}`);
          if (who === 'editor') {
            await page.goto('/s/ctl/handbook/a?delete');
            await screenshot(page, `controls-delete-screen-${locale}-${device}`);
            await page.goto('/s/ctl/handbook?move');
            await screenshot(page, `controls-move-${locale}-${device}`);
            await page.goto('/s/ctl/handbook/a');
            await page.locator('main .actions a[href$="?delete"]').click();
            await page.getByRole('dialog').waitFor({ state: 'visible' });
            // Not full-page: the dialog sits in the viewport.
            await page.screenshot({ path: join(screenshotDir, `controls-delete-dialog-${locale}-${device}.png`) });
          }
          await page.context().close();
        }
      }
    }
  });
});
