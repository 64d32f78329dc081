// Page comments and watching in real Chromium against the built server, two people in two browser
// contexts: Bo mentions Anna through the autocomplete and it reaches her inbox; replies, edits,
// deletes, resolving, watching and the "changed since your last visit" link are all clicked; the
// comment form works without JavaScript; someone who loses access sees no titles in their inbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launch, screenshotsIn, signedInPage, type PageOptions } from './browser.ts';
import { api, signIn } from './http.ts';

const shot = screenshotsIn('/tmp/shots-comments');
const PASSWORD = 'a long enough password 42';
const ANNA = { email: 'anna.lind@example.com', name: 'Anna Lind' };
const BO = { email: 'bo.chen@example.com', name: '陈波' };

let browser: Browser;
let admin = '';
const contexts: BrowserContext[] = [];

async function as(who: { email: string }, opts: Omit<PageOptions, 'as'> = {}): Promise<Page> {
  const page = await signedInPage(browser, { ...opts, as: { email: who.email, password: PASSWORD } });
  contexts.push(page.context());
  return page;
}


const click = (page: Page, name: string) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name, exact: true }).first().click()]);
const grants = (list: { user: string; role: string }[]) => api('/api/v1/spaces/cmt/grants', { method: 'PUT', auth: admin, json: list });

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  for (const u of [ANNA, BO]) expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: { ...u, password: PASSWORD } })).status);
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'cmt', name: 'Review room', kind: 'general', visibility: 'restricted' } })).status).toBe(201);
  expect((await grants([{ user: ANNA.email, role: 'editor' }, { user: BO.email, role: 'reader' }])).status).toBe(200);
  expect((await api('/api/v1/pages/cmt/', { method: 'PUT', auth: admin, json: { title: 'Review room', markdown: 'Plans under review.' } })).status).toBe(201);
  expect((await api('/api/v1/pages/cmt/q3-plan', { method: 'PUT', auth: admin, json: { title: 'Q3 plan', markdown: '# Q3 plan\n\nShip the invoice export.' } })).status).toBe(201);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

describe('page comments in the browser', () => {
  let anna: Page;
  let bo: Page;

  it('watches a page and a space with buttons that say what they will do', async () => {
    anna = await as(ANNA);
    await anna.goto('/s/cmt/q3-plan');
    await click(anna, 'Watch page');
    expect(await anna.getByRole('button', { name: 'Unwatch page' }).count()).toBe(1);
    expect((await (await api('/api/v1/watches/cmt/q3-plan', { auth: (await signIn({ email: ANNA.email, password: PASSWORD })).token })).json())).toEqual({ page: true, space: false });
    await anna.goto('/s/cmt');
    await click(anna, 'Watch space');
    expect(await anna.locator('.watch-bar').textContent()).toContain('You are watching this space');
    await click(anna, 'Unwatch space');
    expect(await anna.getByRole('button', { name: 'Watch space' }).count()).toBe(1);
  });

  it('Bo mentions Anna through the autocomplete; it reaches her inbox', async () => {
    bo = await as(BO);
    await bo.goto('/s/cmt/q3-plan');
    expect(await bo.getByText('No comments yet').count()).toBe(1);
    const box = bo.getByLabel('Comment (Markdown; type @ to mention someone)');
    await box.click();
    await box.pressSequentially('Can you check the dates, @ann');
    const option = bo.getByRole('option', { name: /Anna Lind/ });
    await option.waitFor();
    // Bo only reads the space: he is offered names, not the email addresses behind them.
    expect(await bo.getByRole('listbox').first().textContent()).not.toContain(ANNA.email);
    await shot(bo, 'autocomplete-en-desktop');
    await option.click();
    expect(await box.inputValue()).toBe('Can you check the dates, @Anna Lind ');
    await box.pressSequentially('**before Friday**?');
    await click(bo, 'Comment');
    const comment = bo.locator('.page-comment').first();
    expect(await comment.locator('strong').first().textContent()).toBe(BO.name);
    expect(await comment.locator('.comment-body strong').textContent()).toBe('before Friday');
    // The mention is shown as one, with Anna's name; an unknown @word would stay text.
    expect(await comment.locator('.comment-body .mention').allTextContents()).toEqual(['@Anna Lind']);

    await anna.goto('/inbox');
    const item = anna.getByTestId('inbox').locator('li').first();
    expect(await item.getAttribute('data-kind')).toBe('page-mentioned');
    expect(await item.textContent()).toContain('Q3 plan');
    expect(await item.textContent()).toContain('陈波 mentioned you: “Can you check the dates, @Anna Lind before Friday?”');
    await shot(anna, 'inbox-en-desktop');
    await Promise.all([anna.waitForURL(/\/s\/cmt\/q3-plan#comment-\d+$/), item.getByRole('link').click()]);
  });

  it('offers nothing for one Latin letter, and shows emails to the space\'s editors only', async () => {
    const box = anna.getByLabel('Comment (Markdown; type @ to mention someone)');
    await box.click();
    await box.pressSequentially('@b');
    const answered = anna.waitForResponse((r) => r.url().includes('/api/v1/mentions/'), { timeout: 1500 }).then(() => true, () => false);
    expect(await answered).toBe(false); // not even asked
    expect(await anna.getByRole('option').count()).toBe(0);
    await box.pressSequentially('o.ch'); // Anna edits the space: she may find people by email, and sees it
    const option = anna.getByRole('option', { name: /陈波/ });
    await option.waitFor();
    expect(await option.textContent()).toContain(BO.email);
    await box.fill('');
    // A name is found by its words as written, a space included, and picked with the keyboard.
    await box.pressSequentially('Thanks @Anna L');
    await anna.getByRole('option', { name: /Anna Lind/ }).waitFor();
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Thanks @Anna Lind ');
    await box.pressSequentially('for the dates');
    await anna.waitForTimeout(400); // past the list's pause: the words after a name find no one
    expect(await anna.getByRole('option').count()).toBe(0);
    await box.fill('');
  });

  it('Anna replies, Bo edits his comment, Anna resolves and reopens the thread', async () => {
    await anna.getByText('Reply', { exact: true }).click();
    await anna.getByLabel('Your reply').fill('Dates are fine, see [[cmt:Q3 plan]].');
    await click(anna, 'Send reply');
    expect(await anna.locator('.comment-replies .comment-body').textContent()).toContain('Dates are fine');

    await bo.reload();
    await bo.locator('.comment-thread > .page-comment .comment-edit summary').click();
    await bo.getByLabel('Edit your comment').fill('Can you check the dates, @Anna Lind? (edited to be clearer)');
    await click(bo, 'Save');
    expect(await bo.locator('.comment-thread > .page-comment .comment-edited').textContent()).toContain('edited');
    expect(await bo.locator('.comment-thread > .page-comment .comment-body').textContent()).toContain('edited to be clearer');
    // Bo may not edit or delete Anna's reply.
    expect(await bo.locator('.comment-replies .comment-actions').count()).toBe(0);

    await anna.reload();
    await click(anna, 'Resolve');
    expect(await anna.locator('.comment-thread.resolved .comment-resolved').textContent()).toBe('Resolved');
    await shot(anna, 'comments-en-desktop');
    await click(anna, 'Reopen');
    expect(await anna.locator('.comment-thread.resolved').count()).toBe(0);
  });

  it('shows "changed since your last visit" with a link to that diff, and tells the watcher once', async () => {
    await bo.goto('/s/cmt/q3-plan'); // seen at revision 1
    for (const text of ['Ship the invoice export in July.', 'Ship the invoice export in August.']) {
      expect((await api('/api/v1/pages/cmt/q3-plan', { method: 'PUT', auth: admin, json: { markdown: `# Q3 plan\n\n${text}` } })).status).toBe(200);
    }
    await bo.reload();
    const banner = bo.getByTestId('changed-since');
    expect(await banner.textContent()).toContain('Changed since your last visit');
    await shot(bo, 'changed-since-en-desktop');
    await Promise.all([bo.waitForURL(/\?diff&from=1&to=3$/), banner.getByRole('link').click()]);
    expect(await bo.getByTestId('diff').textContent()).toContain('August');
    await bo.goto('/s/cmt/q3-plan');
    expect(await bo.getByTestId('changed-since').count()).toBe(0); // seen now

    const inbox = (await (await api('/api/v1/notifications?unread=1', { auth: (await signIn({ email: ANNA.email, password: PASSWORD })).token })).json()) as { items: { kind: string; saves?: number; href: string }[] };
    const changes = inbox.items.filter((i) => i.kind === 'page-changed');
    expect(changes).toEqual([expect.objectContaining({ saves: 2, href: '/s/cmt/q3-plan?diff&from=1&to=3' })]);
  });

  it('deletes a comment with replies to a placeholder', async () => {
    bo.once('dialog', (d) => void d.accept());
    await Promise.all([bo.waitForEvent('load'), bo.locator('.comment-thread > .page-comment').getByRole('button', { name: 'Delete' }).click()]);
    expect(await bo.locator('.comment-deleted').textContent()).toBe('This comment was deleted.');
    expect(await bo.locator('.comment-replies .comment-body').textContent()).toContain('Dates are fine');
  });

  it('works without JavaScript, and refuses a 1 MB comment storing nothing', async () => {
    const plain = await as(BO, { javaScript: false });
    await plain.goto('/s/cmt/q3-plan');
    await plain.getByLabel('Comment (Markdown; type @ to mention someone)').fill('Posted without JavaScript <img src=x onerror=alert(1)>');
    await click(plain, 'Comment');
    expect(plain.url()).toMatch(/\/s\/cmt\/q3-plan#comment-\d+$/);
    const last = plain.locator('.comment-thread').last();
    expect(await last.textContent()).toContain('Posted without JavaScript');
    expect(await last.locator('img[onerror]').count()).toBe(0);

    const bo2 = (await signIn({ email: BO.email, password: PASSWORD })).token;
    const before = ((await (await api('/api/v1/comments/cmt/q3-plan', { auth: bo2 })).json()) as unknown[]).length;
    const big = await api('/api/v1/comments/cmt/q3-plan', { method: 'POST', auth: bo2, json: { markdown: 'x'.repeat(1024 * 1024) } });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'A comment is at most 10,000 characters', code: 'commentTooLong', max: 10_000 });
    expect(((await (await api('/api/v1/comments/cmt/q3-plan', { auth: bo2 })).json()) as unknown[]).length).toBe(before);
  });

  it('without JavaScript, a refused comment comes back with the reason and the text still typed', async () => {
    const plain = await as(BO, { javaScript: false });
    await plain.goto('/s/cmt/q3-plan');
    const count = await plain.locator('.page-comment').count();
    // Over the cap of 1,000 linked pages (well within the box's 10,000 characters).
    const text = `Pages to check: ${Array.from({ length: 1001 }, (_, i) => `[[p${i}]]`).join(' ')}`;
    await plain.getByLabel('Comment (Markdown; type @ to mention someone)').fill(text);
    await click(plain, 'Comment');
    expect(plain.url()).toMatch(/\/s\/cmt\/q3-plan\?commentError=tooManyLinks#comment-new$/);
    const form = plain.locator('#comment-new');
    expect(await form.getByRole('alert').textContent()).toBe('A comment may not hold that many links: remove some and send it again.');
    expect(await form.getByLabel('Comment (Markdown; type @ to mention someone)').inputValue()).toBe(text);
    expect(await plain.locator('.page-comment').count()).toBe(count);
    await shot(plain, 'refused-en-desktop');

    // A reply of blanks only: said in the reply's own form (opened), in Chinese.
    const zh = await as(BO, { javaScript: false, locale: 'zh-CN', phone: true });
    await zh.goto('/s/cmt/q3-plan');
    const thread = zh.locator('.comment-thread').first();
    await thread.locator('.comment-reply summary').click();
    await thread.getByLabel('你的回复').fill('   ');
    await Promise.all([zh.waitForEvent('load'), thread.getByRole('button', { name: '发送回复' }).click()]);
    const reply = zh.locator('.comment-thread').first().locator('.comment-reply');
    expect(await reply.getAttribute('open')).not.toBeNull();
    expect(await reply.getByRole('alert').textContent()).toBe('评论不能为空。');
    await shot(zh, 'refused-zh-phone');

    // Once a comment goes through, the old text is not offered again.
    await plain.getByLabel('Comment (Markdown; type @ to mention someone)').fill('Fewer links: [[Q3 plan]]');
    await click(plain, 'Comment');
    await plain.goto('/s/cmt/q3-plan?commentError=tooManyLinks');
    expect(await plain.locator('#comment-new textarea').inputValue()).toBe('');
  });

  it('in Chinese and on a phone', async () => {
    const zh = await as(BO, { locale: 'zh-CN' });
    await zh.goto('/s/cmt/q3-plan');
    expect(await zh.locator('#comments-title').textContent()).toContain('评论');
    await zh.getByLabel('评论（支持 Markdown；输入 @ 可提及他人）').fill('中文评论：请 @Anna Lind 看一下发布日期。');
    await click(zh, '发表评论');
    const mine = zh.locator('.comment-thread').last();
    await mine.locator('.comment-edit summary').click();
    await mine.getByLabel('修改你的评论').fill('中文评论：请 @Anna Lind 看一下发布日期（已改）。');
    await Promise.all([zh.waitForEvent('load'), mine.getByRole('button', { name: '保存' }).click()]);
    expect(await zh.locator('.comment-thread').last().locator('.comment-edited').textContent()).toContain('已编辑');
    expect((await api('/api/v1/pages/cmt/q3-plan', { method: 'PUT', auth: admin, json: { markdown: '# Q3 plan\n\n九月发布。' } })).status).toBe(200);
    await zh.reload();
    expect(await zh.getByTestId('changed-since').textContent()).toContain('自你上次查看后有更改');
    await shot(zh, 'comments-zh-desktop');

    const phone = await as(ANNA, { locale: 'zh-CN', phone: true });
    await phone.goto('/s/cmt/q3-plan');
    await phone.locator('#comments').scrollIntoViewIfNeeded();
    await shot(phone, 'comments-zh-phone');
    await phone.goto('/inbox');
    await shot(phone, 'inbox-zh-phone');
    const phoneEn = await as(BO, { phone: true });
    await phoneEn.goto('/s/cmt/q3-plan');
    await shot(phoneEn, 'comments-en-phone');
  });

  it('someone who loses read access keeps the items but sees no titles, and the comments answer 404', async () => {
    const token = (await signIn({ email: ANNA.email, password: PASSWORD })).token;
    const id = ((await (await api('/api/v1/comments/cmt/q3-plan', { auth: token })).json()) as { id: number }[])[0]!.id;
    expect((await grants([{ user: BO.email, role: 'reader' }])).status).toBe(200);
    await anna.goto('/inbox');
    const text = await anna.getByTestId('inbox').textContent();
    expect(text).not.toContain('Q3 plan');
    expect(text).not.toContain('dates');
    expect(text).toContain('An item you can no longer see');
    await shot(anna, 'inbox-revoked-en-desktop');
    const hidden = (await (await api('/api/v1/notifications', { auth: token })).json()) as { items: { kind: string; title: string | null; href: string | null }[] };
    for (const item of hidden.items.filter((i) => i.kind.startsWith('page-'))) expect([item.title, item.href]).toEqual([null, null]);
    const notFound = [
      await api('/api/v1/comments/cmt/q3-plan', { auth: token }),
      await api('/api/v1/comments/cmt/q3-plan', { method: 'POST', auth: token, json: { markdown: 'hi' } }),
      await api(`/api/v1/comments/${id}`, { method: 'PATCH', auth: token, json: { resolved: true } }),
      await api(`/api/v1/comments/${id}`, { method: 'DELETE', auth: token }),
      await api('/api/v1/mentions/cmt?q=bo', { auth: token }),
      await api('/api/v1/watches/cmt/q3-plan', { method: 'PUT', auth: token }),
      await api('/api/v1/space-watches/cmt', { method: 'PUT', auth: token }),
      await api('/api/v1/comments/999999', { method: 'DELETE', auth: token }),
    ];
    for (const res of notFound) expect([res.status, await res.text()]).toEqual([404, '{"error":"Not found"}']);
  });
});
