// History that works, over HTTP and in Chromium: the revisions API under its own prefix, merged
// saves, the conflict screen between two people, restoring from the history list and from ?rev=N,
// word-level diffs of Chinese text. Screenshots (desktop and phone, English and Chinese) go to
// test-results/screenshots and /tmp/shots-history.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot } from './browser.ts';
import { api, base, signIn } from './http.ts';
import { ADMIN } from '../setup/server.ts';

const LI = { email: 'li.history@example.com', password: 'li has a long password' };
const MEI = { email: 'mei.history@example.com', password: 'mei has a long password' };
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SHOTS = '/tmp/shots-history';

let browser: Browser;
let admin: string;
beforeAll(async () => {
  browser = await launch();
  admin = (await signIn()).token;
  await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: LI.email, name: '李雷', password: LI.password } });
  await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: MEI.email, name: '韩梅梅', password: MEI.password } });
  // An org-wide space: everyone reads it (韩梅梅 only reads), 李雷 edits it.
  await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'hist', name: 'History tests', kind: 'guide', visibility: 'org' } });
  await api('/api/v1/spaces/hist/grants', { method: 'PUT', auth: admin, json: [{ user: LI.email, role: 'editor' }] });
});
afterAll(async () => { await browser?.close(); });

/** Replaces the editor's text as typing would (CodeMirror keeps the form's textarea in sync). */
async function fillMarkdown(page: Page, text: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.press('Control+a');
  await editor.press('Delete');
  await page.keyboard.insertText(text);
}

async function signedInAs(creds: { email: string; password: string }, opts: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: base(), locale: opts.locale ?? 'en-US', viewport: opts.viewport ?? DESKTOP });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[name=email]').fill(creds.email);
  await page.locator('input[name=password]').fill(creds.password);
  await page.locator('form.form button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/');
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await screenshot(page, `history-${name}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const onboarding = (word: string, extra = '') => [
  '# 入职指南', '',
  '第一段：新同事第一天领取笔记本电脑和门禁卡，并由信息技术部门开通各类系统账号。', '',
  `第二段：导师会在第一周介绍公司的${word}流程、代码仓库和发布规范，帮助新人尽快上手。`, '',
  `第三段：有问题可以在内部论坛提问，也可以直接联系服务台。${extra}`,
].join('\n');

async function put(pagePath: string, body: Record<string, unknown>, token = admin) {
  const res = await api(`/api/v1/pages/hist/${pagePath}`, { method: 'PUT', auth: token, json: body });
  return { status: res.status, body: await res.json() };
}
const current = async (pagePath: string) => (await (await api(`/api/v1/pages/hist/${pagePath}`, { auth: admin })).json()) as { revision: number; markdown: string; title: string };

describe('the revisions API', () => {
  it('lists and restores revisions under /api/v1/revisions/, and a page named "revisions" is a page', async () => {
    expect((await put('guide/revisions', { title: 'Revisions', markdown: 'A page about revisions, first words.' })).status).toBe(201);
    expect((await put('guide/revisions', { markdown: 'Second words.', baseRevision: 1, message: 'reword' })).status).toBe(200);
    const page = await (await api('/api/v1/pages/hist/guide/revisions', { auth: admin })).json();
    expect(page).toMatchObject({ path: 'guide/revisions', title: 'Revisions', markdown: 'Second words.', revision: 2 });

    const list = await (await api('/api/v1/revisions/hist/guide/revisions', { auth: admin })).json();
    const author = { name: expect.any(String), email: ADMIN.email };
    expect(list).toEqual([
      { revision: 2, author, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), message: 'reword' },
      { revision: 1, author, createdAt: expect.any(String), message: '' },
    ]);

    const restored = await api('/api/v1/revisions/hist/guide/revisions', { method: 'POST', auth: admin, json: { restore: 1 } });
    expect(restored.status).toBe(201);
    expect(await restored.json()).toMatchObject({ revision: 3 });
    expect(await current('guide/revisions')).toMatchObject({ revision: 3, markdown: 'A page about revisions, first words.', title: 'Revisions' });

    const post = (p: string, json: unknown, auth = admin) => api(p, { method: 'POST', auth, json });
    expect((await post('/api/v1/revisions/hist/guide/revisions', { restore: 0 })).status).toBe(400);
    expect((await post('/api/v1/revisions/hist/guide/revisions', { restore: '1' })).status).toBe(400);
    expect((await post('/api/v1/revisions/hist/guide/revisions', { restore: 99 })).status).toBe(404);
    expect((await post('/api/v1/revisions/hist/guide/nothing-here', { restore: 1 })).status).toBe(404);
    expect((await api('/api/v1/revisions/hist/guide/nothing-here', { auth: admin })).status).toBe(404);
    const reader = (await signIn(MEI)).token;
    expect((await api('/api/v1/revisions/hist/guide/revisions', { auth: reader })).status).toBe(200);
    expect((await post('/api/v1/revisions/hist/guide/revisions', { restore: 2 }, reader)).status).toBe(403);
    expect((await current('guide/revisions')).revision).toBe(3);
  });

  it('merges a stale save that does not overlap, and answers one that does with 409 and the blocks', async () => {
    await put('merge-api', { title: '入职', markdown: onboarding('报销') });
    const li = (await signIn(LI)).token;
    expect((await put('merge-api', { markdown: onboarding('审批'), baseRevision: 1 })).body).toMatchObject({ revision: 2, merged: false });
    const merged = await put('merge-api', { markdown: onboarding('报销', '服务台电话：8000。'), baseRevision: 1 }, li);
    expect(merged).toEqual({ status: 200, body: { revision: 3, path: 'merge-api', changed: true, merged: true, mergedWith: 2 } });
    expect((await current('merge-api')).markdown).toBe(onboarding('审批', '服务台电话：8000。'));

    const clash = await put('merge-api', { markdown: onboarding('采购', '服务台电话：8000。'), baseRevision: 1 }, li);
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ current: { revision: 3, author: expect.any(String) }, merge: { base: 1, title: '入职' } });
    const conflicts = clash.body.merge.blocks.filter((b: { kind: string }) => b.kind === 'conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].ours.join('\n')).toContain('采购');
    expect(conflicts[0].theirs.join('\n')).toContain('审批');
    expect((await current('merge-api')).revision).toBe(3);
  });
});

describe('in the browser', () => {
  it('merges two people’s edits of different paragraphs and says so', async () => {
    await put('merge-ui', { title: '入职指南', markdown: onboarding('报销') });
    const ada = await signedInAs(ADMIN);
    const li = await signedInAs(LI);
    for (const who of [ada, li]) await who.goto('/s/hist/merge-ui'); // both have seen revision 1
    await ada.goto('/s/hist/merge-ui?edit');
    await li.goto('/s/hist/merge-ui?edit');
    await fillMarkdown(ada, onboarding('审批'));
    await ada.getByRole('button', { name: 'Save' }).click();
    await ada.waitForURL('**/s/hist/merge-ui');
    expect(await ada.getByTestId('changed-since').count()).toBe(0); // your own save is no news to you
    await fillMarkdown(li, onboarding('报销', '服务台电话：8000。'));
    await li.getByRole('button', { name: 'Save' }).click();
    await li.waitForURL('**/s/hist/merge-ui?merged=2');
    expect(await li.getByTestId('merged').textContent()).toMatch(/^Merged with revision 2 by .+: both edits are in the page\.$/);
    const article = await li.locator('article.prose').textContent();
    expect(article).toContain('审批流程');
    expect(article).toContain('服务台电话：8000。');
    expect(await li.getByTestId('changed-since').count()).toBe(0); // the merge made revision 3, which Li has seen
    await shot(li, 'merged-en-desktop');
    await ada.context().close();
    await li.context().close();
  });

  it('shows colliding edits on the conflict screen with the differing words marked, and resolves them in the form', async () => {
    await put('conflict-ui', { title: '入职指南', markdown: onboarding('报销') });
    const ada = await signedInAs(ADMIN);
    const li = await signedInAs(LI);
    await ada.goto('/s/hist/conflict-ui?edit');
    await li.goto('/s/hist/conflict-ui?edit');
    await fillMarkdown(ada, onboarding('审批'));
    await ada.getByRole('button', { name: 'Save' }).click();
    await ada.waitForURL('**/s/hist/conflict-ui');
    await fillMarkdown(li, onboarding('采购', '服务台电话：8000。'));
    await li.getByRole('button', { name: 'Save' }).click();

    await li.getByTestId('conflict').waitFor();
    expect(await li.getByRole('heading', { name: 'Place 1' }).count()).toBe(1);
    expect(await li.getByRole('heading', { name: /^Place 2/ }).count()).toBe(0);
    expect(await li.getByTestId('conflict-ours').locator('mark').allTextContents()).toEqual(['采购']);
    expect(await li.getByTestId('conflict-theirs').locator('mark').allTextContents()).toEqual(['审批']);
    // The form holds everything that merged (李雷's new sentence) and 李雷's side of the collision.
    const textarea = li.locator('textarea[name=markdown]');
    expect(await textarea.inputValue()).toBe(onboarding('采购', '服务台电话：8000。'));
    await shot(li, 'conflict-en-desktop');
    expect((await current('conflict-ui')).revision).toBe(2);

    await fillMarkdown(li, onboarding('审批和采购', '服务台电话：8000。'));
    await li.getByRole('button', { name: 'Save as revision 3' }).click();
    await li.waitForURL('**/s/hist/conflict-ui');
    expect(await li.locator('article.prose').textContent()).toContain('审批和采购流程');
    expect(await current('conflict-ui')).toMatchObject({ revision: 3, markdown: onboarding('审批和采购', '服务台电话：8000。') });
    await ada.context().close();
    await li.context().close();
  });

  it('restores from the history list and from ?rev=N, and shows readers no Restore button', async () => {
    await put('restore-ui', { title: 'Printer guide', markdown: 'First version: use the **blue** printer.' });
    await put('restore-ui', { markdown: 'Second version: use the red printer.', baseRevision: 1 });
    await put('restore-ui', { markdown: 'Third version: printers are gone.', baseRevision: 2 });
    const page = await signedInAs(LI);

    await page.goto('/s/hist/restore-ui?history');
    await shot(page, 'history-en-desktop');
    const row = (n: number) => page.locator('table.history tbody tr').filter({ has: page.getByRole('link', { name: String(n), exact: true }) });
    expect(await row(3).getByRole('button').count()).toBe(0); // the current revision
    await row(2).getByRole('button', { name: 'Restore this revision' }).click();
    await page.waitForURL('**/s/hist/restore-ui?restored=2');
    expect(await page.getByTestId('restored').textContent()).toBe('Restored revision 2: its text is the current text again.');
    expect(await page.locator('article.prose').textContent()).toContain('Second version: use the red printer.');
    expect((await current('restore-ui')).revision).toBe(4);

    await page.goto('/s/hist/restore-ui?rev=1');
    expect(await page.getByTestId('old-revision').locator('strong').textContent()).toBe('Revision 1 of 4');
    expect(await page.locator('article.prose').textContent()).toContain('First version');
    await shot(page, 'old-revision-en-desktop');
    await page.getByRole('link', { name: 'Compare with current' }).click();
    await page.waitForURL('**/s/hist/restore-ui?diff&from=1&to=4');
    expect(await page.getByTestId('diff').locator('tr.del').textContent()).toContain('First version');
    await page.goBack();
    await page.getByTestId('old-revision').getByRole('button', { name: 'Restore this revision' }).click();
    await page.waitForURL('**/s/hist/restore-ui?restored=1');
    expect(await page.locator('article.prose strong').textContent()).toBe('blue');
    expect(await page.getByTestId('changed-since').count()).toBe(0); // Li saw revision 4 after the first restore, and made 5
    expect(await current('restore-ui')).toMatchObject({ revision: 5, markdown: 'First version: use the **blue** printer.' });
    await page.context().close();

    const reader = await signedInAs(MEI);
    await reader.goto('/s/hist/restore-ui?rev=2');
    expect(await reader.getByTestId('old-revision').textContent()).toContain('Revision 2 of 5');
    expect(await reader.getByRole('button', { name: 'Restore this revision' }).count()).toBe(0);
    await reader.goto('/s/hist/restore-ui?history');
    expect(await reader.locator('table.history tbody tr').count()).toBe(5);
    expect(await reader.getByRole('button', { name: 'Restore this revision' }).count()).toBe(0);
    await reader.context().close();
  });

  it('marks only the changed word of a long Chinese paragraph in a diff', async () => {
    const long = (word: string) => `为了让新同事在入职第一周就能顺利开展工作，信息技术部门会提前准备好笔记本电脑、门禁卡和各类系统账号，并安排一位经验丰富的同事作为导师，帮助新人熟悉公司的${word}流程、代码仓库和发布规范；如果遇到任何问题，可以随时在内部论坛提问，也可以直接联系服务台，我们承诺在两个工作小时内给出答复。`;
    await put('diff-ui', { title: '入职说明', markdown: `# 入职说明\n\n${long('报销')}\n\nRotate the guest Wi-Fi password every month.\n` });
    await put('diff-ui', { markdown: `# 入职说明\n\n${long('审批')}\n\nRotate the guest Wi-Fi password every week.\n`, baseRevision: 1 });
    for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const page = await signedInAs(LI, { locale, viewport });
        await page.goto('/s/hist/diff-ui?diff&from=1&to=2');
        const diff = page.getByTestId('diff');
        expect(await diff.locator('tr.del del').allTextContents()).toEqual(['报销', 'month']);
        expect(await diff.locator('tr.add ins').allTextContents()).toEqual(['审批', 'week']);
        await shot(page, `diff-${lang}-${size}`);
        await page.context().close();
      }
    }
  });

  it('counts in good English, keeps the history list inside its card on a phone, and says when no page is deleted', async () => {
    await put('one-line', { title: 'Printer', markdown: 'Use the blue printer.\n\nAsk the desk.\n' });
    await put('one-line', { markdown: 'Use the red printer.\n\nAsk the desk.\n', baseRevision: 1, message: 'A long revision message that a phone has to wrap somewhere' });
    expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'hist-none-deleted', name: 'Nothing deleted', visibility: 'org' } })).status).toBe(201);
    for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
      const page = await signedInAs(LI, { locale, viewport: PHONE });
      await page.goto('/s/hist/one-line?diff&from=1&to=2');
      expect(await page.getByTestId('diff-stats').textContent()).toBe(lang === 'en' ? '1 line added, 1 removed' : '新增 1 行，删除 1 行');
      await page.goto('/s/hist/one-line?history');
      const fits = await page.evaluate(() => {
        const table = document.querySelector('table.history')!;
        const card = table.closest('section')!.getBoundingClientRect();
        const [box, shown] = [table.parentElement!.getBoundingClientRect(), table.getBoundingClientRect()];
        // Inside the card, and the table either fits or scrolls within its box.
        return box.left >= card.left && box.right <= card.right && (shown.right <= box.right || getComputedStyle(table.parentElement!).overflowX === 'auto');
      });
      expect(fits).toBe(true);
      await shot(page, `history-${lang}-phone`);
      await page.goto('/s/hist-none-deleted?deleted');
      expect(await page.getByTestId('no-deleted').textContent()).toBe(lang === 'en' ? 'No deleted pages in this space.' : '此空间没有已删除的页面。');
      await shot(page, `deleted-none-${lang}-phone`);
      await page.context().close();
    }
  });

  it('looks right in English and Chinese, desktop and phone: conflict screen and old revision', async () => {
    for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']] as const) {
      for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
        const p = `shots-${lang}-${size}`;
        await put(p, { title: '入职指南', markdown: onboarding('报销') });
        const page = await signedInAs(LI, { locale, viewport });
        await page.goto(`/s/hist/${p}?edit`);
        await put(p, { markdown: onboarding('审批'), baseRevision: 1 });
        await fillMarkdown(page, onboarding('采购', '服务台电话：8000。'));
        await page.locator('form.form button.primary[type=submit]').click();
        await page.getByTestId('conflict').waitFor();
        expect(await page.getByTestId('conflict-ours').locator('mark').allTextContents()).toEqual(['采购']);
        await shot(page, `conflict-${lang}-${size}`);
        await page.goto(`/s/hist/${p}?rev=1`);
        expect(await page.getByTestId('old-revision').locator('strong').textContent()).toBe(lang === 'en' ? 'Revision 1 of 2' : '第 1 版，共 2 版');
        await shot(page, `old-revision-${lang}-${size}`);
        await page.context().close();
      }
    }
  });
});
