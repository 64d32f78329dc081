import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { createProject, setRules } from '../../src/server/projects/projects.ts';
import { exportMyWorkCsv, exportProjectCsv, csvResponse } from '../../src/server/requirements/csv-export.ts';
import { importRequirements, type DryRunResult, type ImportResult } from '../../src/server/requirements/csv-import.ts';
import { decodeCsvBytes, detectDelimiter, guessMapping, parseDate, parsePriority, splitTags } from '../../src/server/requirements/csv-read.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { listRequirements } from '../../src/server/requirements/list.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer; // li.lei: owner of SRC and DST
let reader: Viewer;
let outsider: Viewer;

const count = (project: string) => db().$client.prepare<[string], { n: number }>(
  'select count(*) n from requirements r join projects p on p.id = r.project_id where p.key = ?').get(project)!.n;
const dry = async (key: string, input: Record<string, unknown>) => (await importRequirements(member, key, { ...input, dryRun: true })) as DryRunResult;
const real = async (key: string, input: Record<string, unknown>) => (await importRequirements(member, key, input)) as ImportResult;

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('csv'));
  const readerId = await createUser({ email: 'reader@example.com', name: 'Rita Reader', password: 'a long reader password' });
  const outsiderId = await createUser({ email: 'out@example.com', name: 'Outsider', password: 'a long outsider password' });
  await createUser({ email: 'wang.fang@example.com', name: '王芳', password: 'a long support password' });
  await createUser({ email: 'zhang.min@example.com', name: '张敏', password: 'a long product password' });
  reader = { id: readerId, email: 'reader@example.com', name: 'Rita Reader', admin: false, locale: null };
  outsider = { id: outsiderId, email: 'out@example.com', name: 'Outsider', admin: false, locale: null };
  for (const key of ['SRC', 'DST', 'CN']) createProject(admin, { key, name: `Project ${key}`, owner: 'li.lei@example.com', visibility: 'restricted' });
  addGroup(admin, 'support-desk');
  setGroupMembers(admin, 'support-desk', ['wang.fang@example.com']);
  // Rules send work only to people who can edit the project (the desk's check).
  setGrants(admin, 'dst', [{ user: 'li.lei@example.com', role: 'admin' }, { user: 'reader@example.com', role: 'reader' },
    { group: 'support-desk', role: 'editor' }, { user: 'zhang.min@example.com', role: 'editor' }]);
  setRules(member, 'DST', [{ category: 'issue', group: 'support-desk' }, { tag: 'billing', assignee: 'zhang.min@example.com' }]);
});

describe('reading spreadsheets', () => {
  it('parses dates, priorities, tags and delimiters the ways teams write them', () => {
    expect(['2026-12-01', '2026/12/1', '2026.12.01', '2026年12月1日', '2026-12-01 18:30', '46357'].map(parseDate))
      .toEqual(['2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01', '2026-12-01']);
    expect(parseDate('  ')).toBeNull();
    expect(() => parseDate('2026-02-30')).toThrow(/calendar/);
    expect(() => parseDate('next week')).toThrow(/not a date/);
    expect(['高', '紧急', '低', '中', 'P0', 'Urgent', 'medium', '高优先级'].map(parsePriority)).toEqual(['high', 'urgent', 'low', 'normal', 'urgent', 'urgent', 'normal', 'high']);
    expect(() => parsePriority('soonish')).toThrow(/not a priority/);
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) expect(() => parsePriority(word)).toThrow(/not a priority/);
    expect(splitTags('vip, 计费、移动端|sso; x')).toEqual(['vip', '计费', '移动端', 'sso', 'x']);
    expect(detectDelimiter('a;b;"c,d,e"\n1;2;3')).toBe(';');
    expect(detectDelimiter('a\tb\tc\n')).toBe('\t');
    expect(detectDelimiter('a,b;c,d\n')).toBe(',');
    expect(guessMapping(['编号', '标题', '需求描述', '类型', '状态', '优先级', '负责人（邮箱）', '截止日期', '标签']))
      .toEqual({ title: '标题', description: '需求描述', category: '类型', status: '状态', priority: '优先级', assignee: '负责人（邮箱）', due: '截止日期', tags: '标签' });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Title\tDue\n统一登录\t2026/1/2\n', 'utf16le')]);
    expect(decodeCsvBytes(utf16)).toMatchObject({ encoding: 'utf-16le', text: 'Title\tDue\n统一登录\t2026/1/2\n' });
  });
});

describe('export', () => {
  beforeAll(async () => {
    await submitRequirement(member, 'SRC', { title: '统一登录 (SSO)', category: 'feature', priority: 'high', due: '2026-01-15', tags: ['sso', '安全'], description: 'Line one\n\n- bullet, with "quotes"\n- 第二行' });
    await submitRequirement(member, 'SRC', { title: '=HYPERLINK("http://evil.example","click")', category: 'issue', priority: 'urgent', description: '@SUM(1+1)' });
    await submitRequirement(member, 'SRC', { title: 'Plain change', category: 'change', tags: ['billing'] });
    transitionRequirement(member, 'SRC-3', { to: 'assessing' });
    await submitRequirement(member, 'SRC', { title: 'Closed issue', category: 'issue' });
    transitionRequirement(member, 'SRC-4', { to: 'closed', comment: 'duplicate' });
  });

  it('writes a BOM, the columns, CRLF, quoted multi-line cells and escapes formulas', () => {
    const file = exportProjectCsv(member, 'SRC', {});
    expect(file.filename).toMatch(/^SRC-requirements-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.body.startsWith('\uFEFF"key","title","category","status","priority","assignee","group","reporter","due","tags","created","updated","closed","description"\r\n')).toBe(true);
    const rows = parse(file.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.key)).toEqual(['SRC-1', 'SRC-2', 'SRC-3', 'SRC-4']);
    expect(rows[0]).toMatchObject({ title: '统一登录 (SSO)', category: 'feature', status: 'submitted', priority: 'high', assignee: 'li.lei@example.com', reporter: 'li.lei@example.com', due: '2026-01-15', tags: 'sso, 安全', closed: '' });
    expect(rows[0]!.description).toBe('Line one\n\n- bullet, with "quotes"\n- 第二行');
    expect(rows[1]!.title).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(rows[1]!.description).toBe("'@SUM(1+1)");
    expect(rows[3]!.closed).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(rows[2]!.status).toBe('assessing');
  });

  it('exports the list with its filters, over HTTP headers fit for Excel', async () => {
    const open = parse(exportProjectCsv(member, 'SRC', { status: 'open', tag: 'billing' }).body, { bom: true, columns: true }) as { key: string }[];
    expect(open.map((r) => r.key)).toEqual(['SRC-3']);
    const res = csvResponse(exportProjectCsv(member, 'SRC', {}));
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="SRC-requirements-[\d-]+\.csv"/);
    expect(new Uint8Array(await res.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    const mine = parse(exportMyWorkCsv(member, {}).body, { bom: true, columns: true }) as { key: string }[];
    expect(mine.map((r) => r.key).sort()).toEqual(['SRC-1', 'SRC-2', 'SRC-3']);
    expect((await failure(() => exportProjectCsv(outsider, 'SRC', {}))).status).toBe(404);
  });
});

describe('export of hostile cells', () => {
  // What Excel, LibreOffice and Google Sheets would run as a formula: = + - @ (or their full-width
  // forms) first, possibly after whitespace they trim, or a leading tab, CR, LF or NUL.
  const live = /^(?:[\s\0]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r\n\0])/;
  const payloads = ['=1+1', '+1', '-1', '@SUM(1)', '\t=1', '\r=1', ' =1+1', '\n=1', '＝1+1'];
  // A spreadsheet ends a record at any line break outside quotes, not only at CRLF.
  const asSpreadsheet = (body: string) => parse(body, { bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true }) as string[][];
  let hostile: Viewer;

  beforeAll(async () => {
    const id = await createUser({ email: '=1+1@example.com', name: '@SUM(1)', password: 'a long hostile password' });
    hostile = { id, email: '=1+1@example.com', name: '@SUM(1)', admin: false, locale: null };
    createProject(admin, { key: 'HOS', name: 'Hostile cells', owner: 'li.lei@example.com', visibility: 'restricted' });
    setGrants(admin, 'hos', [{ user: 'li.lei@example.com', role: 'admin' }, { user: '=1+1@example.com', role: 'editor' }]);
    const inputs = [
      ...payloads.map((p) => ({ title: `${p} title`, tags: [`${p}tag`, 'x'], description: p })),
      { title: 'Multi-line', tags: [], description: 'first line\n=1+1\r\n-2,@3\r=4' },
    ];
    for (const input of inputs) {
      const req = await submitRequirement(hostile, 'HOS', { ...input, category: 'feature' });
      await editRequirement(member, req.key, { assignee: '=1+1@example.com' });
    }
    // Group names must start with a letter or digit today; a name from older data must still be inert.
    const d = db().$client;
    const group = d.prepare("insert into groups (name) values ('-2+3') returning id").get() as { id: number };
    d.prepare("update requirements set group_id = ? where key like 'HOS-%'").run(group.id);
  });

  it.each([
    ['a project list', () => exportProjectCsv(member, 'HOS', {})],
    ['my work', () => exportMyWorkCsv(hostile, {})],
  ])('leaves no live formula in any column of %s, one record per requirement', (_name, exportFile) => {
    const records = asSpreadsheet(exportFile().body);
    expect(records).toHaveLength(payloads.length + 2);
    expect(records[0]).toHaveLength(14);
    for (const record of records) {
      expect(record).toHaveLength(14);
      for (const cell of record) expect(cell, JSON.stringify(cell)).not.toMatch(live);
    }
    const byKey = new Map(records.slice(1).map((r) => [r[0]!, r]));
    expect(byKey.get('HOS-10')![13]).toBe('first line\n=1+1\n-2,@3\n=4');
    expect(byKey.get('HOS-1')).toMatchObject({ 1: "'=1+1 title", 5: "'=1+1@example.com", 6: "'-2+3", 7: "'=1+1@example.com", 9: "'=1+1tag, x", 13: "'=1+1" });
    expect(byKey.get('HOS-3')![13]).toBe("'-1");
    expect(byKey.get('HOS-5')![13]).toBe("'\t=1");
  });

  it('reads its own export back to the original text', async () => {
    const report = await dry('DST', { csv: exportProjectCsv(member, 'HOS', {}).body });
    expect(report.ok).toBe(true);
    expect(report.preview.map((r) => r.title)).toEqual(expect.arrayContaining(['=1+1 title', '@SUM(1) title', '＝1+1 title']));
  });
});

describe('import', () => {
  it('round-trips an export into another project, after a dry run that changes nothing', async () => {
    const csv = exportProjectCsv(member, 'SRC', {}).body;
    const before = count('DST');
    const report = await dry('DST', { csv });
    expect(report).toMatchObject({ ok: true, rows: 4, created: 0, errors: [], delimiter: ',' });
    expect(report.mapping).toMatchObject({ title: 'title', category: 'category', status: 'status', assignee: 'assignee', due: 'due', tags: 'tags', description: 'description' });
    expect(report.preview[1]).toMatchObject({ row: 3, title: '=HYPERLINK("http://evil.example","click")', category: 'issue', priority: 'urgent' });
    expect(count('DST')).toBe(before);

    const result = await real('DST', { csv });
    expect(result.created).toBe(4);
    const keys = result.keys;
    const copy = keys.map((k) => getRequirement(member, k));
    const orig = ['SRC-1', 'SRC-2', 'SRC-3', 'SRC-4'].map((k) => getRequirement(member, k));
    for (const [i, c] of copy.entries()) {
      const o = orig[i]!;
      expect({ title: c.title, category: c.category, status: c.status, priority: c.priority, due: c.due, tags: c.tags, description: c.description, assignee: c.assignee?.email, done: c.done })
        .toEqual({ title: o.title, category: o.category, status: o.status, priority: o.priority, due: o.due, tags: o.tags, description: o.description, assignee: o.assignee?.email, done: o.done });
    }
    expect(copy[0]!.html).toContain('<li>');
    const created = copy[2]!.events[0]!;
    expect(created).toMatchObject({ kind: 'created', status: 'assessing', imported: true });
    expect(copy[3]!.closedAt).not.toBeNull();
  });

  it('reads GB18030 bytes from Excel on Chinese Windows, with Chinese headers and values', async () => {
    const text = [
      '标题,类型,状态,优先级,负责人,截止日期,标签,描述',
      '客户管理员管理用户,需求,已批准,高,张敏,2026年9月1日,用户管理、安全,管理员邀请用户，不设置密码',
      '发票下载超时,问题,处理中,紧急,wang.fang@example.com,2026/8/3,计费|发票,',
      '支付方式变更,变更,影响评估,中,,2026-10-15,,',
    ].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const report = await dry('CN', { csvBase64: bytes.toString('base64') });
    expect(report).toMatchObject({ ok: true, rows: 3, encoding: 'gb18030' });
    const { keys } = await real('CN', { csvBase64: bytes.toString('base64') });
    const [a, b, c] = keys.map((k) => getRequirement(member, k));
    expect(a).toMatchObject({ title: '客户管理员管理用户', category: 'feature', status: 'approved', priority: 'high', assignee: { email: 'zhang.min@example.com' }, due: '2026-09-01', tags: ['用户管理', '安全'], agreed: true });
    expect(b).toMatchObject({ category: 'issue', status: 'in-progress', priority: 'urgent', assignee: { email: 'wang.fang@example.com' }, due: '2026-08-03', tags: ['计费', '发票'] });
    expect(c).toMatchObject({ category: 'change', status: 'assessing', priority: 'normal', tags: [] });
  });

  it('takes a BOM, semicolons, CRLF and quoted multi-line cells, counting rows as the spreadsheet does', async () => {
    const csv = '\uFEFFTitle;Description;Category;Due\r\n'
      + 'First;"two\r\nlines; with a semicolon";feature;2026-12-01\r\n'
      + '\r\n'
      + 'Second;"she said ""hi""";issue;\r\n'
      + 'Third;;bogus;2026-13-01\r\n';
    const report = await dry('CN', { csv });
    expect(report.delimiter).toBe(';');
    expect(report.preview.map((p) => [p.row, p.title, p.description])).toEqual([[2, 'First', 'two\nlines; with a semicolon'], [4, 'Second', 'she said "hi"']]);
    expect(report.errors).toEqual([
      { row: 5, field: 'category', column: 'Category', message: expect.stringContaining('"bogus" is not a category') },
      { row: 5, field: 'due', column: 'Due', message: expect.stringContaining('not a calendar date') },
    ]);
    expect(report.ok).toBe(false);
  });

  it('refuses the whole file with 422 and row numbers when one row is bad, creating nothing', async () => {
    const before = count('DST');
    const next = getRequirement(member, (await real('DST', { csv: 'Title,Category\nprobe,feature\n' })).keys[0]!).key;
    const csv = 'Title,Category,Priority,Created\nGood one,feature,high,\nAlso good,issue,low,\n,feature,,\nBad date,feature,normal,2026-02-30\n';
    const err = await failure(() => real('DST', { csv }));
    expect(err.status).toBe(422);
    expect(err.extra.errors).toEqual([
      { row: 4, field: 'title', column: 'Title', message: 'A requirement needs a title' },
      { row: 5, field: 'created', column: 'Created', message: '2026-02-30 is not a calendar date' },
    ]);
    expect(err.extra.created).toBe(0);
    expect(count('DST')).toBe(before + 1);
    // Numbering did not move: the next requirement takes the number right after the probe.
    const after = await real('DST', { csv: 'Title,Category\nnext,feature\n' });
    expect(after.keys[0]).toBe(`DST-${Number(next.split('-')[1]) + 1}`);
  });

  it('routes rows without an assignee by the project rules; a given assignee wins', async () => {
    const csv = 'Title,Category,Tags,Assignee\nCustomer cannot log in,issue,,\nInvoice rounding,feature,billing,\nDirect,issue,,li.lei@example.com\nNo rule,change,,\n';
    const { keys } = await real('DST', { csv });
    const [a, b, c, d] = keys.map((k) => getRequirement(member, k));
    expect(a).toMatchObject({ assignee: null, group: 'support-desk', routedBy: expect.objectContaining({ via: 'rule', rule: 1 }) });
    expect(b).toMatchObject({ assignee: { email: 'zhang.min@example.com' }, routedBy: expect.objectContaining({ via: 'rule', rule: 2 }) });
    expect(c).toMatchObject({ assignee: { email: 'li.lei@example.com' }, group: null, routedBy: { via: 'import' } });
    expect(d).toMatchObject({ assignee: { email: 'li.lei@example.com' }, routedBy: { via: 'owner' } });
  });

  it('uses the mapping and defaults it is given', async () => {
    const csv = 'Name,Notes,Kind\nMapped,the body,whatever\n';
    // Guessed: Name → title, Notes → description, Kind → category (whose value is no category).
    expect((await dry('DST', { csv })).errors).toEqual([{ row: 2, field: 'category', column: 'Kind', message: expect.stringContaining('"whatever" is not a category') }]);
    const noTitle = await failure(() => dry('DST', { csv: 'Foo,Bar\n1,2\n' }));
    expect(noTitle.status).toBe(400);
    expect(noTitle.message).toMatch(/No title column.*Foo, Bar/);
    const report = await dry('DST', { csv, mapping: { title: 'Name', description: 'Notes', category: null }, defaults: { category: '问题', priority: '高' } });
    expect(report).toMatchObject({ ok: true, preview: [{ title: 'Mapped', description: 'the body', category: 'issue', priority: 'high', status: 'open' }] });
    expect((await failure(() => dry('DST', { csv, mapping: { title: 'Nope' } }))).status).toBe(400);
    expect((await failure(() => dry('DST', { csv, mapping: { colour: 'Name' } }))).status).toBe(400);
    expect((await failure(() => dry('DST', { csv, defaults: { category: 'epic' } }))).status).toBe(400);
  });

  it('stores hostile cells as text and sanitizes HTML in descriptions', async () => {
    const csv = 'Title,Category,Description\n"=cmd|\' /C calc\'!A0",issue,"<script>alert(1)</script>\n\n**bold** <img src=x onerror=alert(2)>"\n';
    const { keys } = await real('DST', { csv });
    const r = getRequirement(member, keys[0]!);
    expect(r.title).toBe("=cmd|' /C calc'!A0");
    expect(r.html).toContain('<strong>bold</strong>');
    expect(r.html).not.toMatch(/<script|onerror/);
    const exported = exportProjectCsv(member, 'DST', { q: 'calc' }).body;
    expect(exported).toContain("'=cmd|");
  });

  it('says clearly what is wrong with empty, header-only, too large and undecodable files', async () => {
    for (const csv of ['', '  \r\n\r\n', 'Title,Category\r\n', 'Title,Category\n,\n']) {
      const err = await failure(() => dry('DST', { csv }));
      expect(err.status, JSON.stringify(csv)).toBe(400);
    }
    const many = `Title,Category\n${'x,feature\n'.repeat(5001)}`;
    expect((await failure(() => dry('DST', { csv: many }))).status).toBe(413);
    expect((await failure(() => dry('DST', { csvBase64: Buffer.from([0x81, 0x30, 0xff, 0xff, 0xff]).toString('base64') }))).status).toBe(400);
    expect((await failure(() => dry('DST', { csv: 'Title\n"unterminated\n' }))).status).toBe(400);
    expect((await failure(() => dry('DST', {}))).status).toBe(400);
    const statusErr = await dry('DST', { csv: 'Title,Category,Status\nx,feature,closed\n' });
    expect(statusErr.errors[0]).toMatchObject({ row: 2, column: 'Status', message: expect.stringContaining('not a state of feature') });
  });

  it('lets only project editors import: a reader gets 403, an outsider 404', async () => {
    const csv = 'Title,Category\nx,feature\n';
    expect((await failure(() => importRequirements(reader, 'DST', { csv, dryRun: true }))).status).toBe(403);
    expect((await failure(() => importRequirements(outsider, 'DST', { csv }))).status).toBe(404);
    expect((await failure(() => importRequirements(null, 'DST', { csv }))).status).toBe(401);
    expect(listRequirements(reader, 'DST', { q: 'x' }).filter((r) => r.title === 'x')).toEqual([]);
  });
});
