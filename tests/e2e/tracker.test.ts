// The requirement tracker in real Chromium, in English and Chinese: submit with a category and see
// it routed, move it through its workflow (a gate refuses, then passes once a review page is linked),
// edit from a stale copy (conflict), comment, nudge twice (the second is refused), move on the board,
// save a view, and find the work on "my work". Screenshots of every screen, desktop and phone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot as save, signedInPage } from './browser.ts';
import { api, signIn } from './http.ts';

let browser: Browser;
let admin = '';
const PHONE = { width: 390, height: 844 };
const LIN = { email: 'lin.tracker@example.com', name: 'Lin Tracker', password: 'a long enough password 42' };
let lin = '';

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: LIN })).status);
  lin = (await signIn(LIN)).token;
  expect((await api('/api/v1/groups', { method: 'POST', auth: admin, json: { name: 'tracker-support' } })).status).toBe(201);
  expect((await api('/api/v1/groups/tracker-support/members', { method: 'PUT', auth: admin, json: { emails: ['admin@example.com', LIN.email] } })).status).toBe(200);
});
afterAll(async () => { await browser?.close(); });

/** Clicks something that posts a form or navigates, and waits for the next page to load. */
const go = (page: Page, click: () => Promise<unknown>) => Promise.all([page.waitForEvent('load'), click()]);
const button = (page: Page, name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
/** A full-page screenshot from the top (a sticky header would otherwise sit where the page was scrolled to). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await save(page, name);
}
/** What a reader sees in an element, as one line. */
const text = async (page: Page, testid: string) => (await page.getByTestId(testid).innerText()).replace(/\s+/g, ' ').trim();
const statusOf = async (key: string) => ((await (await api(`/api/v1/requirements/${key}`, { auth: admin })).json()) as { status: string }).status;

async function phoneShots(prefix: string, locale: string, paths: [string, string][]): Promise<void> {
  const phone = await signedInPage(browser, { viewport: PHONE, locale });
  for (const [name, path] of paths) {
    await phone.goto(path);
    // Nothing may be wider than the phone's screen (tables and the board scroll inside themselves).
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} is wider than the phone`).toBeLessThanOrEqual(0);
    await screenshot(phone, `${prefix}-${name}-phone`);
  }
  await phone.context().close();
}

describe('requirement tracker screens', () => {
  it('runs a feature request end to end in English', async () => {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'WEB', name: 'Web shop', owner: 'admin@example.com' } })).status).toBe(201);
    // Lin works on the project: an editor of its space.
    expect((await api('/api/v1/spaces/web/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: LIN.email, role: 'editor' }] })).status).toBe(200);
    expect((await api('/api/v1/projects/WEB/rules', { method: 'PUT', auth: admin, json: [{ category: 'issue', tag: 'login', group: 'tracker-support' }, { category: 'feature', assignee: LIN.email }] })).status).toBe(200);
    expect((await api('/api/v1/pages/web/reviews/checkout-review', { method: 'PUT', auth: admin, json: { title: 'Checkout review', markdown: '# Checkout review\n\nLooks good.' } })).status).toBe(201);
    // Something overdue for the figures and the highlight.
    expect((await api('/api/v1/projects/WEB/requirements', { method: 'POST', auth: admin, json: { title: 'Fix the footer links', category: 'change', due: '2020-01-31' } })).status).toBe(201);

    const page = await signedInPage(browser);
    await page.getByRole('link', { name: 'Projects', exact: true }).first().click();
    await page.waitForURL('**/p');
    expect(await text(page, 'projects')).toMatch(/WEB Web shop .* 1 1/);
    await screenshot(page, 'tracker-projects-en-desktop');

    await go(page, () => page.getByTestId('projects').getByRole('link', { name: 'WEB', exact: true }).click());
    await go(page, () => page.locator('.page-head').getByRole('link', { name: 'New requirement' }).click());
    await page.getByLabel('Title', { exact: true }).fill('One-click checkout');
    await page.getByLabel('Feature request').check();
    await page.getByLabel('Priority').selectOption('high');
    await page.getByLabel('Due').fill('2031-03-01');
    await page.getByLabel(/^Tags/).fill('checkout, web');
    await page.getByLabel(/^Description/).fill('## Why\n\nBuyers leave at the payment step.');
    await screenshot(page, 'tracker-new-en-desktop');
    await go(page, () => button(page, 'Submit').click());

    expect(page.url()).toMatch(/\/p\/WEB\/WEB-2\?created$/);
    expect(await text(page, 'routed-notice')).toBe('Submitted as WEB-2 and routed to Lin Tracker by rule 2 (Category = Feature request).');
    expect(await text(page, 'routed-by')).toBe('rule 2 (Category = Feature request) → lin.tracker@example.com');
    expect(await text(page, 'assignee')).toBe('Lin Tracker');

    expect(await page.locator('[data-testid=description] h2').textContent()).toMatch(/^Why/);

    // A move whose gate is a comment: refused by the server (422) and the reason is shown.
    const refused = page.waitForResponse((r) => r.request().method() === 'POST');
    await go(page, () => button(page, '→ Rejected').click());
    expect((await refused).status()).toBe(422);
    expect(await text(page, 'error')).toContain('needs a comment saying why');
    expect(await statusOf('WEB-2')).toBe('submitted');

    await go(page, () => button(page, '→ Approved').click());
    await go(page, () => button(page, '→ In progress').click());
    expect(await page.locator('.req-sub .status-badge').textContent()).toBe('In progress');
    // The review gate: the move is offered but disabled, with the reason beside it.
    const toReview = button(page, '→ In review');
    expect(await toReview.isDisabled()).toBe(true);
    expect(await page.locator('#why-in-review').textContent()).toBe('needs a linked review page');
    await screenshot(page, 'tracker-requirement-gate-en-desktop');

    // The space is chosen by name from the spaces the reader may read, the project's own first chosen.
    const space = page.locator('.link-form select[name=space]');
    expect(await space.inputValue()).toBe('web');
    expect(await space.locator('option').count()).toBeGreaterThan(1);
    await space.selectOption('web');
    // A path that leads nowhere is said on this page, in words; then the page is picked by a word of its title.
    await page.getByLabel('Page path').fill('reviews/no-such-review');
    const missing = page.waitForResponse((r) => r.request().method() === 'POST');
    await go(page, () => button(page, 'Link page').click());
    expect((await missing).status()).toBe(422);
    expect(await text(page, 'error')).toBe('There is no page “reviews/no-such-review” in the space “web” that you can read. Type a word of its title and pick it from the list.');
    await page.getByLabel('Page path').fill('');
    await page.getByLabel('Page path').pressSequentially('checkout');
    await page.locator('#link-targets option[value="reviews/checkout-review"]').waitFor({ state: 'attached' });
    expect(await page.locator('#link-targets option[value="reviews/checkout-review"]').getAttribute('label')).toBe('Checkout review');
    await page.getByLabel('Page path').fill('reviews/checkout-review'); // as picking the option does
    await page.getByLabel('Relation').selectOption('review');
    await go(page, () => button(page, 'Link page').click());
    expect(await page.locator('.doc-group', { has: page.locator('h3', { hasText: 'Review' }) }).getByRole('link', { name: 'Checkout review' }).count()).toBe(1);
    await go(page, () => button(page, '→ In review').click());
    expect(await statusOf('WEB-2')).toBe('in-review');

    // Stale edit: someone renames it after this page was loaded, and this form changes only the
    // description. The two merge: the rename stays (the form's old title does not undo it).
    await page.locator('summary', { hasText: 'Edit' }).click();
    await page.locator('textarea[name=description]').fill('## Why\n\nBuyers leave at the payment step.\n\nApple Pay too.');
    expect((await api('/api/v1/requirements/WEB-2', { method: 'PATCH', auth: lin, json: { title: 'One-click checkout for guests' } })).status).toBe(200);
    await go(page, () => button(page, 'Save changes').click());
    expect(await page.getByRole('status').first().textContent()).toContain('Saved, together with the changes someone else made meanwhile.');
    expect(await page.getByTestId('req-title').textContent()).toBe('One-click checkout for guests');
    const merged = await (await api('/api/v1/requirements/WEB-2', { auth: lin })).json() as { description: string };
    expect(merged.description).toContain('Apple Pay too.');

    // Both change the title: nothing is saved; the form keeps this side's title (marked, theirs
    // shown beside) and its other change, and saving again keeps what was chosen.
    await page.locator('summary', { hasText: 'Edit' }).click();
    await page.locator('input[name=title]').fill('Guest checkout in one click');
    await page.locator('select[name=priority]').selectOption('high');
    expect((await api('/api/v1/requirements/WEB-2', { method: 'PATCH', auth: lin, json: { title: 'One-click guest checkout', tags: ['checkout', 'guests'] } })).status).toBe(200);
    const stale = page.waitForResponse((r) => r.request().method() === 'POST');
    await go(page, () => button(page, 'Save changes').click());
    expect((await stale).status()).toBe(409);
    expect(await text(page, 'error')).toContain('was changed by someone else');
    expect(await page.locator('input[name=title]').inputValue()).toBe('Guest checkout in one click');
    expect(await page.locator('input[name=title]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('select[name=priority]').inputValue()).toBe('high');
    expect(await page.locator('input[name=tags]').inputValue()).toBe('checkout, guests');
    expect(await text(page, 'conflict')).toContain('Title: One-click guest checkout');
    await screenshot(page, 'tracker-requirement-conflict-en-desktop');
    await go(page, () => button(page, 'Save changes').click());
    expect(await page.getByTestId('req-title').textContent()).toBe('Guest checkout in one click');
    const chosen = await (await api('/api/v1/requirements/WEB-2', { auth: lin })).json() as { priority: string; tags: string[] };
    expect([chosen.priority, chosen.tags]).toEqual(['high', ['checkout', 'guests']]);
    // The assignee is picked by name: typing offers the people who may read the space.
    await page.locator('summary', { hasText: 'Edit' }).click();
    const assignee = page.locator('input[name=assignee]');
    await assignee.fill('');
    await assignee.pressSequentially('Adm');
    const adminOption = page.locator('#assignee-people option[value="admin@example.com"]');
    await adminOption.waitFor({ state: 'attached' });
    expect(await adminOption.getAttribute('label')).toBe('Admin');
    await assignee.fill('admin@example.com'); // as picking the option does
    await go(page, () => button(page, 'Save changes').click());
    expect((await (await api('/api/v1/requirements/WEB-2', { auth: lin })).json() as { assignee: { email: string } }).assignee.email).toBe('admin@example.com');
    // The list filters by a name as well as by an address.
    await page.goto('/p/WEB?assignee=Admin');
    expect(await page.locator('main').textContent()).toContain('WEB-2');
    await page.goto('/p/WEB?assignee=Nobody%20Here');
    expect(await page.locator('main').textContent()).not.toContain('WEB-2');
    await page.goto('/p/WEB/WEB-2');

    await page.getByLabel(/^Comment/).last().fill('Shipping it behind a flag. @lin.tracker@example.com');
    await go(page, () => button(page, 'Add comment').click());

    await go(page, () => button(page, 'Nudge').click());
    expect(await page.getByRole('status').textContent()).toContain('Nudged');
    const again = page.waitForResponse((r) => r.request().method() === 'POST');
    await go(page, () => button(page, 'Nudge').click());
    expect((await again).status()).toBe(429);
    expect(await text(page, 'error')).toMatch(/Already nudged less than an hour ago; try again in (59|60) min/);

    // A page that names the key is listed as mentioning it.
    expect((await api('/api/v1/pages/web/plans/q3', { method: 'PUT', auth: admin, json: { title: 'Q3 plan', markdown: 'We ship WEB-2 in Q3.' } })).status).toBe(201);
    await page.reload();
    expect(await page.locator('.doc-group', { has: page.locator('h3', { hasText: 'Mentioned in' }) }).getByRole('link', { name: 'Q3 plan' }).count()).toBe(1);
    // Its review page names the key too: listed once, as its review, saying it mentions it.
    expect((await api('/api/v1/pages/web/reviews/checkout-review', { method: 'PUT', auth: admin, json: { title: 'Checkout review', markdown: '# Checkout review\n\nLooks good for WEB-2.' } })).status).toBe(200);
    await page.reload();
    expect(await page.getByTestId('documents').getByRole('link', { name: 'Checkout review' }).count()).toBe(1);
    expect(await page.locator('.doc-group', { has: page.locator('h3', { hasText: 'Review' }) }).innerText()).toContain('Checkout review web/reviews/checkout-review · mentions it too');

    const timeline = await text(page, 'timeline');
    for (const line of [
      ' submitted it', 'Routed: rule 2 (Category = Feature request) → lin.tracker@example.com',
      'moved it from Submitted to Approved', 'moved it from Approved to In progress', 'linked a review page: Checkout review',
      'moved it from In progress to In review', 'Lin Tracker changed', 'Title: One-click checkout → One-click checkout for guests',
      'Assignee: Lin Tracker → Admin', // people by name, not by e-mail
      'edited the description changed after approval', 'commented', 'Shipping it behind a flag.', 'nudged the people responsible', 'mentioned it in Q3 plan',
    ]) expect(timeline).toContain(line);
    await page.locator('.edit-diff summary').click();
    expect(await page.locator('.edit-diff .diff tr.add').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Apple Pay too.')]));
    await screenshot(page, 'tracker-requirement-en-desktop');

    // The board: an issue in the support queue cannot start without an assignee; the feature can be finished.
    expect((await api('/api/v1/projects/WEB/requirements', { method: 'POST', auth: lin, json: { title: 'Cannot log in with SSO', category: 'issue', tags: ['login'] } })).status).toBe(201);
    await go(page, () => page.locator('.project-tabs').getByRole('link', { name: 'Board', exact: true }).click());
    const inReview = page.locator('.column[data-state=in-review]');
    expect(await inReview.locator('.req-card').count()).toBe(1);
    await go(page, () => page.getByRole('button', { name: 'Move WEB-2 to Done' }).click());
    expect(await page.locator('.column[data-state=done] .req-card[data-key=WEB-2]').count()).toBe(1);
    expect(await statusOf('WEB-2')).toBe('done');
    await go(page, () => page.locator('.category-tabs').getByRole('link', { name: 'Customer issue' }).click());
    const issueCard = page.locator('.req-card[data-key=WEB-3]');
    expect(await issueCard.locator('.card-meta').textContent()).toContain('Queue: tracker-support');
    expect(await issueCard.getByRole('button', { name: 'Move WEB-3 to In progress' }).isDisabled()).toBe(true);
    expect(await issueCard.locator('.why').first().textContent()).toBe('needs an assignee');
    await screenshot(page, 'tracker-board-en-desktop');

    // Filters and a saved view. An issue closed after its due date halves the on-time rate.
    expect((await api('/api/v1/projects/WEB/requirements', { method: 'POST', auth: admin, json: { title: 'Old complaint', category: 'issue', due: '2020-02-01' } })).status).toBe(201);
    expect((await api('/api/v1/requirements/WEB-4/transitions', { method: 'POST', auth: admin, json: { to: 'closed', comment: 'Answered by mail' } })).status).toBe(200);
    await go(page, () => page.locator('.project-tabs').getByRole('link', { name: 'Requirements' }).click());
    expect(await text(page, 'figures')).toBe('2 open 1 overdue 2 done in the last 30 days 50% on time 1 of 2 done with a due date, since the project began');
    expect(await page.locator('tr[data-key=WEB-1] td.col-due').getAttribute('class')).toContain('overdue');
    await page.getByLabel('Status').selectOption('open');
    await page.getByLabel('Category').selectOption('issue');
    await go(page, () => button(page, 'Filter').click());
    expect(await page.locator('[data-testid=requirements] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(['WEB-3']);
    await page.getByLabel('Name of this view').fill('Open issues');
    await go(page, () => button(page, 'Save view').click());
    await go(page, () => page.getByRole('link', { name: 'Clear' }).click());
    expect(await page.locator('[data-testid=requirements] tbody tr').count()).toBe(4);
    await go(page, () => page.getByTestId('saved-views').getByRole('link', { name: 'Open issues' }).click());
    expect(new URL(page.url()).search).toBe('?status=open&category=issue');
    expect(await page.locator('[data-testid=requirements] tbody tr').count()).toBe(1);
    expect(await page.getByTestId('saved-views').getByRole('link', { name: 'Open issues' }).getAttribute('aria-current')).toBe('page');
    // Sorting by a column heading keeps the filters.
    await go(page, () => page.getByTestId('requirements').getByRole('link', { name: 'Due', exact: true }).click());
    expect(new URL(page.url()).searchParams.get('category')).toBe('issue');
    expect(await page.locator('th[aria-sort]').textContent()).toContain('Due');
    await page.goto('/p/WEB');
    await screenshot(page, 'tracker-list-en-desktop');

    // My work: the issue waits in a queue I am in.
    await page.goto('/my');
    expect(await page.getByTestId('my-work').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toContain('WEB-3');
    expect(await page.getByTestId('reported').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toContain('WEB-1');
    await screenshot(page, 'tracker-my-en-desktop');

    // Settings: the readable workflow, a routing rule saved through the form, bad JSON refused.
    await page.goto('/p/WEB/settings');
    expect(await page.locator('.workflow', { hasText: 'Feature request' }).textContent()).toContain('In progress → In review — needs a linked review page');
    const blank = page.getByTestId('rules').locator('tbody tr').nth(2);
    await blank.locator('select[name=category]').selectOption('change');
    await blank.locator('select[name=kind]').selectOption('group');
    await blank.locator('input[name=who]').fill('tracker-support');
    await go(page, () => button(page, 'Save rules').click());
    const rules = (await (await api('/api/v1/projects/WEB', { auth: admin })).json()) as { rules: unknown[] };
    expect(rules.rules).toEqual([
      { category: 'issue', tag: 'login', assignee: null, group: 'tracker-support' },
      { category: 'feature', tag: null, assignee: LIN.email, group: null },
      { category: 'change', tag: null, assignee: null, group: 'tracker-support' },
    ]);
    await page.locator('summary', { hasText: 'Edit categories and workflows' }).click();
    await page.locator('textarea[name=categories]').fill('[{"key": "feature"');
    await go(page, () => button(page, 'Save workflows').click());
    expect(await page.getByRole('alert').textContent()).toContain('This is not valid JSON');
    await page.locator('textarea[name=categories]').fill('[{"key":"feature","name":{"en":"F","zh":"F"},"initial":"a","states":[{"key":"a","name":{"en":"A","zh":"甲"}},{"key":"b","name":{"en":"B","zh":"乙"}}],"transitions":[{"from":"a","to":"b"}]}]');
    await go(page, () => button(page, 'Save workflows').click());
    expect(await page.getByRole('alert').textContent()).toContain('at least one state must count as done');
    expect(await page.getByRole('heading', { name: 'Webhooks' }).count()).toBe(1);
    await screenshot(page, 'tracker-settings-en-desktop');
    await page.context().close();

    await phoneShots('tracker', 'en-US', [
      ['projects-en', '/p'], ['list-en', '/p/WEB'], ['new-en', '/p/WEB/new'], ['requirement-en', '/p/WEB/WEB-2'],
      ['board-en', '/p/WEB/board'], ['settings-en', '/p/WEB/settings'], ['my-en', '/my'],
    ]);
  }, 180_000); // a long walk through many screens, on a shared 2-core machine

  it('serves a customer issue in Chinese: routed to a queue, gated on the board, nudged, my work', async () => {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'KEFU', name: '客户服务台', owner: 'admin@example.com' } })).status).toBe(201);
    // A rule's group must be able to work on the project: the support group edits its space.
    expect((await api('/api/v1/spaces/kefu/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { group: 'tracker-support', role: 'editor' }] })).status).toBe(200);
    expect((await api('/api/v1/projects/KEFU/rules', { method: 'PUT', auth: admin, json: [{ tag: '登录', group: 'tracker-support' }] })).status).toBe(200);
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/p');
    expect(await page.locator('h1').textContent()).toBe('项目');
    await go(page, () => page.getByTestId('projects').getByRole('link', { name: '客户服务台' }).click());
    await go(page, () => page.locator('.project-tabs').getByRole('link', { name: '提交需求' }).click());
    await page.getByLabel('标题', { exact: true }).fill('客户无法用企业微信登录');
    await page.getByLabel('问题').check();
    await page.getByLabel(/^标签/).fill('登录，企业微信');
    await page.getByLabel(/^描述/).fill('客户反馈：扫码后**一直转圈**。');
    await screenshot(page, 'tracker-new-zh-desktop');
    await go(page, () => button(page, '提交').click());
    expect(await text(page, 'routed-notice')).toBe('已提交，编号 KEFU-1，按规则 1（标签 = 登录）分派给 tracker-support 组的队列。');
    expect(await page.locator('.req-sub .status-badge').textContent()).toBe('待处理');
    expect(await page.locator('.row-tags').textContent()).toContain('企业微信');
    expect(await button(page, '→ 处理中').isDisabled()).toBe(true);
    expect(await page.locator('#why-in-progress').textContent()).toBe('需要先指定处理人');

    await go(page, () => button(page, '催办').click());
    await go(page, () => button(page, '催办').click());
    expect(await text(page, 'error')).toMatch(/一小时内已催办过；请 (59|60) 分钟后再试。/);
    await screenshot(page, 'tracker-requirement-zh-desktop');

    // Taking it out of the queue: assign Lin, then the board allows starting it.
    await page.locator('summary', { hasText: '编辑' }).click();
    await page.getByLabel(/^处理人/).fill(LIN.email);
    await go(page, () => button(page, '保存修改').click());
    expect(await text(page, 'timeline')).toContain('处理人: — → Lin Tracker');
    await go(page, () => page.locator('.project-tabs').getByRole('link', { name: '看板' }).click());
    await go(page, () => page.locator('.category-tabs').getByRole('link', { name: '问题' }).click());
    expect(await page.locator('.column h2').allTextContents()).toEqual(['待处理 1', '处理中 0', '已解决 0', '已关闭 0']);
    await go(page, () => page.getByRole('button', { name: '将 KEFU-1 流转到 处理中' }).click());
    expect(await page.locator('.column[data-state=in-progress] .req-card[data-key=KEFU-1]').count()).toBe(1);
    await screenshot(page, 'tracker-board-zh-desktop');

    await page.goto('/p/KEFU');
    expect(await text(page, 'figures')).toContain('1 未完成');
    await screenshot(page, 'tracker-list-zh-desktop');
    await page.goto('/p/KEFU/KEFU-1');
    expect(await text(page, 'timeline')).toContain('将状态从 待处理 改为 处理中');
    await page.goto('/my');
    expect(await page.getByTestId('reported').textContent()).toContain('客户无法用企业微信登录');
    await screenshot(page, 'tracker-my-zh-desktop');
    await page.goto('/p/KEFU/settings');
    await screenshot(page, 'tracker-settings-zh-desktop');
    await page.context().close();

    await phoneShots('tracker', 'zh-CN', [
      ['list-zh', '/p/KEFU'], ['requirement-zh', '/p/KEFU/KEFU-1'], ['board-zh', '/p/KEFU/board?category=issue'], ['my-zh', '/my'],
    ]);
  }, 180_000); // a long walk through many screens, on a shared 2-core machine

  it('fits a board of six columns on a desktop, and opens it on a phone at the first column with cards', async () => {
    const desktop = await signedInPage(browser);
    await desktop.goto('/p/WEB/board');
    const board = desktop.getByTestId('board');
    expect(await board.locator('.column').count()).toBeLessThanOrEqual(6);
    expect(await board.evaluate((b) => b.scrollWidth - b.clientWidth)).toBeLessThanOrEqual(0);
    await desktop.context().close();
    const phone = await signedInPage(browser, { viewport: PHONE });
    await phone.goto('/p/WEB/board');
    const columns = phone.getByTestId('board').locator('.column');
    const states = await columns.evaluateAll((cs) => cs.map((c) => [c.getAttribute('data-state'), c.querySelectorAll('.req-card').length, Math.round(c.getBoundingClientRect().left)] as const));
    const firstWithCards = states.find(([, cards]) => cards > 0)!;
    expect(states[0]![1]).toBe(0); // Submitted is empty here: the board does not open on it
    expect(firstWithCards[2]).toBeGreaterThanOrEqual(0);
    expect(firstWithCards[2]).toBeLessThan(60);
    await screenshot(phone, 'tracker-board-opens-at-cards-phone');
    await phone.context().close();
  });

  it('offers people as you type @ in a requirement comment, and tells the one picked', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/WEB/WEB-2');
    const box = page.locator('form.comment-form textarea[name=comment]');
    await box.click();
    await page.keyboard.type('Over to you, @Lin');
    const option = page.getByRole('option', { name: /Lin Tracker/ });
    await option.waitFor();
    await page.keyboard.press('Enter');
    expect(await box.inputValue()).toBe('Over to you, @Lin Tracker ');
    await page.keyboard.type('please check.');
    await go(page, () => button(page, 'Add comment').click());
    expect(await page.locator('blockquote.comment').last().textContent()).toBe('Over to you, @Lin Tracker please check.');
    const inbox = (await (await api('/api/v1/notifications', { auth: lin })).json()) as { items: { kind: string; key: string; comment?: string }[] };
    expect(inbox.items.find((i) => i.kind === 'mentioned' && i.key === 'WEB-2')?.comment).toBe('Over to you, @Lin Tracker please check.');
    await page.context().close();
  });

  it('hides a restricted project from people without a grant (404), and keeps /p/<KEY>/<KEY> to its project', async () => {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'SEC', name: 'Security', visibility: 'restricted' } })).status).toBe(201);
    expect((await api('/api/v1/projects/SEC/requirements', { method: 'POST', auth: admin, json: { title: 'Rotate keys', category: 'change' } })).status).toBe(201);
    for (const path of ['/p/SEC', '/p/SEC/SEC-1', '/p/SEC/board', '/p/SEC/new', '/p/SEC/settings']) {
      expect((await api(path, { auth: lin })).status, path).toBe(404);
    }
    expect((await api('/p/WEB/settings', { auth: lin })).status).toBe(404); // an editor, not the project's admin
    expect((await api('/p', { auth: lin })).status).toBe(200);
    expect(await (await api('/p', { auth: lin })).text()).not.toContain('Security');
    expect((await api('/p/WEB/SEC-1', { auth: admin })).status).toBe(404);
    // The new-project form: a site admin's post creates it (and its space); a bad key is explained; others are refused.
    const form = (fields: Record<string, string>) => new URLSearchParams({ _action: 'create', ...fields });
    const created = await api('/p', { method: 'POST', auth: admin, body: form({ key: 'form1', name: 'Made by form', visibility: 'restricted' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([created.status, created.headers.get('location')]).toEqual([303, '/p/FORM1']);
    expect((await api('/api/v1/spaces/form1', { auth: admin })).status).toBe(200);
    const bad = await api('/p', { method: 'POST', auth: admin, body: form({ key: '9X', name: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('A project key is 2–10 capital letters or digits');
    expect((await api('/p', { method: 'POST', auth: lin, body: form({ key: 'LINS', name: 'x' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(403);
    // Saved views are per person: Lin does not see the admin's.
    expect(await (await api('/p/WEB', { auth: lin })).text()).not.toContain('Open issues');
    expect((await api('/p/SEC/SEC-1', { auth: admin })).status).toBe(200);
  });
});

describe('a reader who submits', () => {
  it('is told who takes it, not which rule routed it', async () => {
    const READER = { email: 'rita.reader@example.com', name: 'Rita Reader', password: 'a long enough password 42' };
    expect([201, 409]).toContain((await api('/api/v1/users', { method: 'POST', auth: admin, json: READER })).status);
    expect((await api('/api/v1/spaces/web/grants', { method: 'PUT', auth: admin, json: [{ user: 'admin@example.com', role: 'admin' }, { user: LIN.email, role: 'editor' }, { user: READER.email, role: 'reader' }] })).status).toBe(200);
    const reader = await signedInPage(browser, { as: READER });
    await reader.goto('/p/WEB/new');
    await reader.getByLabel('Title', { exact: true }).fill('Gift cards');
    await reader.getByLabel('Feature request').check();
    await go(reader, () => button(reader, 'Submit').click());
    expect(await text(reader, 'routed-notice')).toMatch(/^Submitted as WEB-\d+: Lin Tracker takes it from here\. You are told when it moves\.$/);
    expect(await reader.getByTestId('routed-by').count()).toBe(0);
    expect(await reader.locator('main').innerText()).not.toContain('rule 2');
    await reader.context().close();
  });
});
