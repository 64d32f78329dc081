// Spreadsheet import and export through the built server: the import page in real Chromium in
// both languages (upload, guessed columns, preview with problems by row, import), and the CSV
// endpoints over HTTP (export with BOM and escaped formulas, dry run, 422, permissions).
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, screenshot, signedInPage } from './browser.ts';
import { api, signIn, userToken } from './http.ts';

let browser: Browser;
let admin = '';
let reader = '';
let outsider = '';

beforeAll(async () => {
  browser = await launch();
  ({ token: admin } = await signIn());
  reader = await userToken(admin, 'csv.reader@example.com', 'Reader Rui');
  outsider = await userToken(admin, 'csv.outsider@example.com', 'Outsider Ota');
  await userToken(admin, 'chen.jing@example.com', '陈静');
  for (const [key, name] of [['SHEET', 'Spreadsheet import 表格导入'], ['BIAO', '表格项目 Sheets'], ['APIX', 'CSV over HTTP']]) {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key, name, visibility: 'restricted' } })).status).toBe(201);
  }
  expect((await api(`/api/v1/spaces/apix/grants`, { method: 'PUT', auth: admin, json: [{ user: 'csv.reader@example.com', role: 'reader' }] })).status).toBe(200);
});
afterAll(async () => { await browser?.close(); });

const click = (page: Page, name: string | RegExp) => Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).click()]);
const list = async (key: string) => (await (await api(`/api/v1/projects/${key}/requirements`, { auth: admin })).json()) as Record<string, any>[];

describe('import page', () => {
  it('uploads a UTF-8 file with a BOM, shows the guess and the problems, and imports after a fix (English)', async () => {
    const page = await signedInPage(browser);
    await page.goto('/p/SHEET/import');
    expect(await page.locator('h1').textContent()).toBe('Import requirements · SHEET');
    const csv = '\uFEFFTitle,Category,Status,Priority,Assignee,Due,Tags,Beschreibung\r\n'
      + 'Single sign-on,Feature request,Approved,High,chen.jing@exmaple.com,2026-12-01,"sso, security","Customers sign in with OIDC.\r\nSAML for Enterprise."\r\n'
      + 'Invoice list times out,issue,,urgent,,2026/11/20,billing|performance,Two large customers\r\n'
      + 'Data export scope,change,Shipped,normal,,2026-13-01,,Phase 1 only\r\n'
      + '=HYPERLINK("http://evil.example"),issue,,low,,,,formula-looking title\r\n';
    await page.locator('input[type=file]').setInputFiles({ name: 'backlog.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await click(page, 'Check the data');

    expect(await page.getByTestId('import-found').textContent()).toBe('Rows: 4 · UTF-8 · separated by commas');
    expect(await page.locator('select[data-field=title]').inputValue()).toBe('Title');
    expect(await page.locator('select[data-field=assignee]').inputValue()).toBe('Assignee');
    expect(await page.locator('select[data-field=description]').inputValue()).toBe('');
    const errors = page.getByTestId('import-errors');
    expect(await errors.locator('tbody tr').count()).toBe(2);
    expect(await errors.locator('tbody tr').nth(0).textContent()).toMatch(/^4Status"Shipped" is not a state of change/);
    expect(await errors.locator('tbody tr').nth(1).textContent()).toMatch(/^4Due.*not a calendar date/);
    expect(await page.getByTestId('import-go').count()).toBe(0);
    // A typo in an address is asked about, not quietly given to a placeholder.
    expect(await page.getByTestId('import-lookalike').textContent()).toBe('chen.jing@exmaple.com is nobody here, so a placeholder would get its items. Did you mean chen.jing@example.com (陈静)? Correct the cell, then preview again.');
    await screenshot(page, 'csv-import-en-problems');

    // Map the German description column by hand, and fix row 4 in the data.
    await page.locator('select[data-field=description]').selectOption('Beschreibung');
    await page.locator('details.csv-data summary').click();
    const data = page.locator('#csv-data');
    await data.fill((await data.inputValue()).replace('Shipped', 'Verified').replace('2026-13-01', '2026-10-31').replace('exmaple', 'example'));
    await click(page, 'Update the preview');
    expect(await page.getByTestId('import-lookalike').count()).toBe(0);
    expect(await page.getByTestId('import-ok').textContent()).toBe('All rows are valid (4).');
    const preview = page.getByTestId('preview');
    expect(await preview.locator('tbody tr').count()).toBe(4);
    expect(await preview.locator('tbody tr').nth(0).textContent()).toContain('Customers sign in with OIDC.');
    expect(await preview.locator('tbody tr').nth(0).locator('td').nth(3).textContent()).toBe('Approved');
    expect(await preview.locator('tbody tr').nth(1).locator('td').nth(5).textContent()).toBe('by rules');
    await screenshot(page, 'csv-import-en-preview');

    await click(page, 'Import 4 requirements');
    expect(await page.getByTestId('import-done').textContent()).toContain('Imported 4 requirements (SHEET-1 … SHEET-4).');
    await screenshot(page, 'csv-import-en-done');

    const rows = await list('SHEET');
    expect(rows.map((r) => [r.key, r.title, r.category, r.status, r.priority, r.assignee?.email ?? null, r.due, r.tags])).toEqual([
      ['SHEET-1', 'Single sign-on', 'feature', 'approved', 'high', 'chen.jing@example.com', '2026-12-01', ['sso', 'security']],
      ['SHEET-2', 'Invoice list times out', 'issue', 'open', 'urgent', 'admin@example.com', '2026-11-20', ['billing', 'performance']],
      ['SHEET-3', 'Data export scope', 'change', 'verified', 'normal', 'admin@example.com', '2026-10-31', []],
      ['SHEET-4', '=HYPERLINK("http://evil.example")', 'issue', 'open', 'low', 'admin@example.com', null, []],
    ]);
    const one = (await (await api('/api/v1/requirements/SHEET-1', { auth: admin })).json()) as { html: string; events: { kind: string; imported?: boolean }[] };
    expect(one.html).toContain('SAML for Enterprise.');
    expect(one.events[0]).toMatchObject({ kind: 'created', imported: true });
    await page.context().close();
  });

  it('reads a GB18030 file from Excel on Chinese Windows, pasted defaults included (Chinese)', async () => {
    const page = await signedInPage(browser, { locale: 'zh-CN' });
    await page.goto('/p/BIAO/import');
    expect(await page.locator('h1').textContent()).toBe('导入需求 · BIAO');
    const text = [
      '标题,类型,状态,优先级,负责人,截止日期,标签,描述',
      '客户管理员管理用户,需求,已批准,高,陈静,2026年9月1日,用户管理、安全,"管理员邀请用户，不设置密码。',
      '邀请链接 72 小时有效。"',
      '发票下载超时,问题,处理中,紧急,,2026/8/3,计费|发票,两家大客户反馈超时',
      '邀请邮件被拦截,,,中,,2026-12-05,通知,需要配置 DKIM',
    ].join('\r\n');
    await page.locator('input[type=file]').setInputFiles({ name: '需求清单.csv', mimeType: 'text/csv', buffer: iconv.encode(text, 'gb18030') });
    await click(page, '检查数据');
    expect(await page.getByTestId('import-found').textContent()).toBe('3 行 · GB18030 (GBK) · 逗号分隔');
    expect(await page.locator('select[data-field=category]').inputValue()).toBe('类型');
    expect(await page.getByTestId('import-errors').locator('tbody tr').first().textContent()).toMatch(/^4类型category is empty/);
    await page.locator('select[name="default.category"]').selectOption('issue');
    await click(page, '更新预览');
    expect(await page.getByTestId('import-ok').textContent()).toBe('全部 3 行均有效。');
    const cells = page.getByTestId('preview').locator('tbody tr').nth(0).locator('td');
    expect([await cells.nth(2).textContent(), await cells.nth(3).textContent(), await cells.nth(4).textContent()]).toEqual(['需求', '已批准', '高']);
    expect(await page.getByTestId('preview').locator('tbody tr').nth(2).locator('td').nth(0).textContent()).toBe('4');
    await screenshot(page, 'csv-import-zh-preview');
    await click(page, '导入 3 条需求');
    expect(await page.getByTestId('import-done').textContent()).toContain('已导入 3 条需求（BIAO-1 … BIAO-3）。');
    await screenshot(page, 'csv-import-zh-done');
    const rows = await list('BIAO');
    expect(rows.map((r) => [r.title, r.category, r.status, r.assignee?.email, r.due, r.tags])).toEqual([
      ['客户管理员管理用户', 'feature', 'approved', 'chen.jing@example.com', '2026-09-01', ['用户管理', '安全']],
      ['发票下载超时', 'issue', 'in-progress', 'admin@example.com', '2026-08-03', ['计费', '发票']],
      ['邀请邮件被拦截', 'issue', 'open', 'admin@example.com', '2026-12-05', ['通知']],
    ]);
    await page.context().close();
  });

  it('pastes cells copied from a spreadsheet (tabs), and tells readers they may not import', async () => {
    const page = await signedInPage(browser, { viewport: { width: 420, height: 900 } });
    await page.goto('/p/SHEET/import');
    await page.locator('textarea[name=csv]').fill('Title\tCategory\tPriority\nPasted from Excel\tfeature\tP1\n');
    await click(page, 'Check the data');
    expect(await page.getByTestId('import-found').textContent()).toBe('Rows: 1 · UTF-8 · separated by tabs');
    expect(await page.getByRole('button', { name: 'Import 1 requirement' }).count()).toBe(1);
    // Nothing wider than the phone: the preview table scrolls inside its box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await screenshot(page, 'csv-import-en-mobile-paste');
    await page.context().close();

    const res = await api('/p/APIX/import', { auth: reader });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Only the project’s editors may import requirements.');
    expect((await api('/p/APIX/import', { auth: outsider })).status).toBe(404);
  });
});

describe('CSV endpoints over HTTP', () => {
  it('imports with a dry run, refuses a bad file with 422, and exports what it imported', async () => {
    const csv = 'Title,Category,Priority,Due,Tags,Description\n'
      + 'Online payments,change,high,2027-03-31,phase-2,"- cards\n- Alipay"\n'
      + '@SUM(A1:A9),issue,low,,,"=1+1"\n';
    const dry = await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csv, dryRun: true } });
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ ok: true, rows: 2, created: 0, errors: [] });
    expect(await list('APIX')).toEqual([]);

    const bad = await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csv: `${csv}No category,,,,,\n` } });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual([{ row: 4, field: 'category', column: 'Category', message: expect.stringContaining('category is empty') }]);
    expect(await list('APIX')).toEqual([]);

    const ok = await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csvBase64: Buffer.from(csv).toString('base64') } });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ created: 2, keys: ['APIX-1', 'APIX-2'] });

    const exp = await api('/api/v1/projects/APIX/requirements.csv?category=issue', { auth: reader });
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exp.headers.get('content-disposition')).toMatch(/^attachment; filename="APIX-requirements-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await exp.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(body.split('\r\n')[0]).toBe('\uFEFF"key","title","category","status","priority","assignee","group","reporter","due","tags","created","updated","closed","description"');
    expect(body).toContain('"APIX-2","\'@SUM(A1:A9)","issue","open","low","admin@example.com",,"admin@example.com",');
    expect(body.trimEnd().endsWith(',"\'=1+1"')).toBe(true);
    expect(body).not.toContain('Online payments');

    const mine = await api('/api/v1/my-work.csv', { auth: admin });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('"APIX-1","Online payments","change","submitted","high"');
  });

  it('keeps readers and outsiders out, and refuses oversized bodies', async () => {
    const csv = 'Title,Category\nx,feature\n';
    expect((await api('/api/v1/projects/APIX/import', { method: 'POST', auth: reader, json: { csv } })).status).toBe(403);
    expect((await api('/api/v1/projects/APIX/import', { method: 'POST', auth: outsider, json: { csv } })).status).toBe(404);
    expect((await api('/api/v1/projects/APIX/requirements.csv', { auth: outsider })).status).toBe(404);
    expect((await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csv: 'x'.repeat(3 * 1024 * 1024) } })).status).toBe(413);
    expect((await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csv: '' } })).status).toBe(400);
    const cross = await api('/api/v1/projects/APIX/import', { method: 'POST', auth: admin, json: { csv }, headers: { origin: 'https://evil.example' } });
    expect(cross.status).toBe(403);
  });

  it('seeded the demo project ATL from content/atlas/_requirements.csv with linked page mentions', async () => {
    const rows = await list('ATL');
    expect(rows.length).toBe(21);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(['feature', 'change', 'issue']));
    expect(rows.some((r) => r.overdue)).toBe(true);
    const atl3 = (await (await api('/api/v1/requirements/ATL-3', { auth: admin })).json()) as { documents: { path: string; relation: string }[] };
    expect(atl3.documents).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'requirements-review', relation: 'mention' })]));
    const pageJson = (await (await api('/api/v1/pages/atlas/requirements-review', { auth: admin })).json()) as { html: string };
    expect(pageJson.html).toContain('<a href="/p/ATL/ATL-3" class="req-ref" data-req="ATL-3">ATL-3</a>');
  });

  it('kept ATL\'s real people and dates, and its figures come from them', async () => {
    const atl1 = await (await api('/api/v1/requirements/ATL-1', { auth: admin })).json();
    expect(atl1).toMatchObject({
      reporter: { name: '张敏' }, assignee: { name: '李伟' }, createdAt: '2026-03-02T00:00:00.000Z', closedAt: '2026-04-23T00:00:00.000Z',
    });
    const history = atl1.events.filter((e: { kind: string }) => e.kind === 'created' || e.kind === 'transitioned');
    expect(history.map((e: { kind: string; at: string }) => [e.kind, e.at])).toEqual([['created', '2026-03-02T00:00:00.000Z'], ['transitioned', '2026-04-23T00:00:00.000Z']]);
    const people = new Set((await list('ATL')).map((r) => r.assignee?.name));
    expect(people).toEqual(new Set(['李伟', '王浩', '刘洋', '马超', 'Emily Zhou', '张敏']));
    const page = await signedInPage(browser);
    await page.goto('/p/ATL');
    // 8 of the 11 done with a due date were done by it (ATL-4, ATL-7 and ATL-14 were late).
    expect(await page.locator('li', { hasText: '8 of 11' }).locator('.figure').textContent()).toBe('73%');
    await page.context().close();
  });
});
