// Faithful migration (issue 11 part 6): a spreadsheet's reporter, assignee and created / updated /
// closed dates survive the import, people named by e-mail or display name become users or inactive
// imported placeholders, events carry the sheet's dates, and the project's figures use them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { importRequirements, type DryRunResult, type ImportResult } from '../../src/server/requirements/csv-import.ts';
import { guessMapping, parseTimestamp, personRef } from '../../src/server/requirements/csv-read.ts';
import { pinyinKeys } from '../../src/server/requirements/import-people.ts';
import { projectDashboard } from '../../src/server/requirements/dashboard.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
const NOW = Date.parse('2026-12-02T12:00:00Z');
const count = (sql: string) => (db().$client.prepare(sql).get() as { n: number }).n;
const run = async (key: string, csv: string) => (await importRequirements(admin, key, { csv })) as ImportResult;

beforeAll(async () => {
  ({ admin } = await freshEnvironment('migrate'));
  await createUser({ email: 'zhang.min@example.com', name: '张敏', password: 'a long product password' });
  await createUser({ email: 'wang.1@example.com', name: 'Wang Fang', password: 'a long password one' });
  await createUser({ email: 'wang.2@example.com', name: 'wang fang', password: 'a long password two' });
  for (const key of ['MIG', 'BAD']) createProject(admin, { key, name: `Migration ${key}` });
});

describe('reading the new columns', () => {
  it('guesses reporter and the dates in both languages, and reads people and moments', () => {
    expect(guessMapping(['标题', '报告人', '负责人', '创建日期', '更新时间', '关闭日期'])).toMatchObject({ reporter: '报告人', assignee: '负责人', created: '创建日期', updated: '更新时间', closed: '关闭日期' });
    expect(guessMapping(['Summary', 'Reporter', 'Created', 'Updated', 'Resolved date'])).toMatchObject({ reporter: 'Reporter', created: 'Created', updated: 'Updated', closed: 'Resolved date' });
    expect(personRef('Li Lei <li.lei@example.com>')).toEqual({ email: 'li.lei@example.com', name: 'Li Lei' });
    expect(personRef(' "Zhang  Min" ')).toEqual({ name: 'Zhang Min' });
    expect(personRef('张敏')).toEqual({ name: '张敏' });
    expect(parseTimestamp('2026-03-02')).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(parseTimestamp('2026-03-02 09:30')).toBe(Date.parse('2026-03-02T09:30:00Z'));
    expect(parseTimestamp('2026-03-02T09:30:00+08:00')).toBe(Date.parse('2026-03-02T01:30:00Z'));
    expect(() => parseTimestamp('2026-02-30')).toThrow(/not a calendar date/);
    expect(() => parseTimestamp('2026-03-02 25:00')).toThrow(/not a time of day/);
  });
});

describe('a migration', () => {
  const csv = [
    'Title,Category,Status,Due,Reporter,Assignee,Created,Updated,Closed',
    'On time,feature,done,2026-04-24,张敏,Zhang Min,2026-03-02,,2026-04-23',
    'Late,feature,done,2026-05-08,zhang.min@example.com,Li Na,2026-03-02,,2026-05-12 18:00',
    'Open and overdue,feature,in-progress,2026-05-22,"Tom Becker <tom@northwind.example>",Tom Becker,2026-03-02,2026-06-01,',
    'Closed recently,issue,closed,2026-11-30,Tom Becker,,2026-11-20,,2026-11-25',
  ].join('\n');
  let keys: string[] = [];

  it('says in its dry run who it would create, and creates nobody yet', async () => {
    const users = count('select count(*) n from users');
    const report = (await importRequirements(admin, 'MIG', { csv, dryRun: true })) as DryRunResult;
    expect(report.ok).toBe(true);
    // One Tom Becker: named with his address in one row and by name in the others.
    expect(report.newPeople).toEqual([
      { email: expect.stringMatching(/^imported-[0-9a-f]{12}@imported\.invalid$/), name: 'Li Na' },
      { email: 'tom@northwind.example', name: 'Tom Becker' },
    ]);
    expect(report.preview[0]).toMatchObject({ reporter: 'zhang.min@example.com', reporterName: '张敏', assigneeName: '张敏', created: '2026-03-02', closed: '2026-04-23' });
    // A person the import would create is shown by name, not by the placeholder address made for them.
    expect(report.preview[1]).toMatchObject({ assignee: expect.stringMatching(/@imported\.invalid$/), assigneeName: 'Li Na' });
    expect(count('select count(*) n from users')).toBe(users);
  });

  it('names the user a new address looks like (a typo away, or the same name at another domain)', async () => {
    const sheet = 'Title,Category,Assignee,Reporter\nTypo,feature,zhang.min@exmaple.com,zhang.min@example.org\nStranger,feature,ada@lovelace.example,zhang.min@example.com\n';
    const report = (await importRequirements(admin, 'MIG', { csv: sheet, dryRun: true })) as DryRunResult;
    expect(report.newPeople).toEqual([
      { email: 'zhang.min@example.org', name: 'zhang.min', lookalike: { email: 'zhang.min@example.com', name: '张敏' } },
      { email: 'zhang.min@exmaple.com', name: 'zhang.min', lookalike: { email: 'zhang.min@example.com', name: '张敏' } },
      { email: 'ada@lovelace.example', name: 'ada' },
    ]);
  });

  it('keeps the real people: an existing user by name, inactive imported placeholders for the rest', async () => {
    ({ keys } = await run('MIG', csv));
    const [ontime, late, open, recent] = keys.map((k) => getRequirement(admin, k));
    // "Zhang Min" is 张敏 by pinyin.
    expect(ontime).toMatchObject({ reporter: { email: 'zhang.min@example.com', name: '张敏' }, assignee: { email: 'zhang.min@example.com', name: '张敏' } });
    expect(late).toMatchObject({ reporter: { email: 'zhang.min@example.com' }, assignee: { name: 'Li Na', email: expect.stringMatching(/@imported\.invalid$/) } });
    expect(open).toMatchObject({ reporter: { email: 'tom@northwind.example', name: 'Tom Becker' }, assignee: { email: 'tom@northwind.example' } });
    expect(recent).toMatchObject({ reporter: { email: 'tom@northwind.example' }, assignee: { email: 'admin@example.com' } }); // none given: routed to the owner
    const placeholders = db().$client.prepare('select name, active, imported, password_hash from users where imported = 1 order by id').all();
    expect(placeholders).toEqual([
      { name: 'Li Na', active: 0, imported: 1, password_hash: null },
      { name: 'Tom Becker', active: 0, imported: 1, password_hash: null },
    ]);
  });

  it('dates the requirement and its history by the sheet, not the import day', () => {
    const ontime = getRequirement(admin, keys[0]!);
    expect(ontime.createdAt).toBe('2026-03-02T00:00:00.000Z');
    expect(ontime.closedAt).toBe('2026-04-23T00:00:00.000Z');
    expect(ontime.events.map((e) => [e.kind, e.at, e.status ?? e.to])).toEqual([
      ['created', '2026-03-02T00:00:00.000Z', 'submitted'],
      ['transitioned', '2026-04-23T00:00:00.000Z', 'done'],
    ]);
    const open = getRequirement(admin, keys[2]!);
    expect(open.updatedAt).toBe('2026-06-01T00:00:00.000Z');
    expect(open.events.map((e) => e.kind)).toEqual(['created']);
  });

  it('computes the figures from those dates: 2 of 3 done on time, 1 done in the last 30 days', () => {
    expect(projectDashboard(admin, 'MIG', NOW)).toEqual({ open: 1, overdue: 1, doneLast30: 1, doneWithDue: 3, doneOnTime: 2, onTimeRate: 2 / 3 });
  });

  it('prefers a real user to a placeholder of the same name', async () => {
    await createUser({ email: 'tom.becker@example.com', name: 'Tom Becker', password: 'a long password for tom' });
    const { keys: [key] } = await run('MIG', 'Title,Category,Reporter\nAfter Tom joined,feature,Tom Becker\n');
    expect(getRequirement(admin, key!).reporter).toMatchObject({ email: 'tom.becker@example.com' });
  });

  it('matches a placeholder by name in a later import instead of creating another', async () => {
    const users = count('select count(*) n from users');
    const { keys: [key] } = await run('MIG', 'Title,Category,Assignee\nLater,feature,Li Na\n');
    expect(getRequirement(admin, key!).assignee).toMatchObject({ name: 'Li Na' });
    expect(count('select count(*) n from users')).toBe(users);
  });
});

describe('bad rows', () => {
  it.each([
    ['an impossible date', 'Title,Category,Created\nx,feature,2026-02-30\n', { row: 2, field: 'created', column: 'Created', message: '2026-02-30 is not a calendar date' }],
    ['an unparseable date', 'Title,Category,Closed,Status\nx,feature,last spring,done\n', { row: 2, field: 'closed', column: 'Closed', message: expect.stringContaining('is not a date') }],
    ['a date in the future', 'Title,Category,Created\nx,feature,2999-01-01\n', { row: 2, field: 'created', column: 'Created', message: expect.stringContaining('in the future') }],
    ['closed before created', 'Title,Category,Status,Created,Closed\nx,feature,done,2026-03-02,2026-03-01\n', { row: 2, field: 'closed', column: 'Closed', message: expect.stringContaining('is before created') }],
    ['closed but not done', 'Title,Category,Status,Closed\nx,feature,in-progress,2026-03-01\n', { row: 2, field: 'closed', column: 'Closed', message: expect.stringContaining('not a done state') }],
    ['a name two people have', 'Title,Category,Reporter\nx,feature,Wang Fang\n', { row: 2, field: 'reporter', column: 'Reporter', message: expect.stringContaining('2 people are called "Wang Fang"') }],
  ])('%s → 422 naming the row and field, nothing imported', async (_what, csv, error) => {
    const before = [count('select count(*) n from requirements'), count('select count(*) n from users')];
    const err = await failure(() => run('BAD', `${csv}fine,feature\n`));
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/row 2, \w+:/);
    expect(err.extra.errors).toEqual([error]);
    expect([count('select count(*) n from requirements'), count('select count(*) n from users')]).toEqual(before);
  });
});

describe('names in pinyin', () => {
  const assigneeOf = async (name: string) => {
    const { keys: [key] } = await run('MIG', `Title,Category,Assignee\nPinyin ${name},feature,"${name}"\n`);
    return getRequirement(admin, key!).assignee?.email;
  };

  it('spells a Chinese name every way a romanised one is written: both orders, ü, two-character family names', () => {
    expect(pinyinKeys('张敏')).toEqual(['zhangmin', 'minzhang']);
    expect(pinyinKeys('吕布')).toEqual(expect.arrayContaining(['lvbu', 'lyubu', 'lubu', 'bulv']));
    expect(pinyinKeys('欧阳娜娜')).toContain('nanaouyang');
    expect(pinyinKeys('Zhang Min')).toEqual([]);
  });

  it('matches "Zhang Min" and "Min Zhang" to 张敏, whatever the case and spaces, and 陈杰 to a user called "Chen Jie"', async () => {
    const users = count('select count(*) n from users');
    for (const name of ['Zhang Min', 'Min Zhang', 'ZHANG  MIN', 'zhangmin', ' min  zhang ']) expect(await assigneeOf(name)).toBe('zhang.min@example.com');
    await createUser({ email: 'chen.jie@example.com', name: 'Chen Jie', password: 'a long password for chen' });
    expect(await assigneeOf('陈杰')).toBe('chen.jie@example.com');
    expect(count('select count(*) n from users')).toBe(users + 1); // Chen Jie himself, no placeholder
  });

  it('refuses a name two people share by pinyin (张敏 and 章敏), naming the row, and imports nothing', async () => {
    await createUser({ email: 'zhang.min2@example.com', name: '章敏', password: 'a long password for the other' });
    const before = count('select count(*) n from requirements');
    const err = await failure(() => run('BAD', 'Title,Category,Assignee\nfine,feature,\nwho?,feature,Min Zhang\n'));
    expect(err.status).toBe(422);
    expect(err.extra.errors).toEqual([{ row: 3, field: 'assignee', column: 'Assignee', message: expect.stringMatching(/^2 people are called "Min Zhang" \(zhang\.min@example\.com, zhang\.min2@example\.com\)/) }]);
    expect(count('select count(*) n from requirements')).toBe(before);
    // Written in characters, each is still their own person.
    expect(await assigneeOf('章敏')).toBe('zhang.min2@example.com');
  });
});
