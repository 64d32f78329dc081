// Issue 11, part 2: what a person holds, handing it all over in one transaction, routing and
// reminders around inactive people, and the orphans report. Real SQLite file, real domain calls.
import { beforeAll, describe, expect, it } from 'vitest';
import { countWalCommits, truncateWal } from '../../scripts/bench/wal-commits.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { handOver, previewHandover } from '../../src/server/admin/handover.ts';
import { orphans, userHoldings } from '../../src/server/admin/holdings.ts';
import { updateUser } from '../../src/server/admin/users.ts';
import { createApiToken } from '../../src/server/auth/api-tokens.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { dbFile } from '../../src/server/config.ts';
import { db } from '../../src/server/db.ts';
import { sendDueReminders } from '../../src/server/notify/due-reminders.ts';
import { listNotifications } from '../../src/server/notify/inbox.ts';
import { itemLine } from '../../src/server/notify/item-line.ts';
import { createSpace, updateSpace } from '../../src/server/admin/spaces.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject, setRules } from '../../src/server/projects/projects.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { setPageWatch, setSpaceWatch } from '../../src/server/watching/watches.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer; // li.lei: owner of PAY
let leaver: Viewer; // zhang.min: leaves
let heir: Viewer; // wang.fang: takes over
let watcherHeir: Viewer; // chen.jing: takes over the watches only
let stranger: Viewer; // already inactive

const person = async (email: string, name: string, isAdmin = false): Promise<Viewer> => {
  const id = await createUser({ email, name, password: `${name} has a long password`, admin: isAdmin });
  return { id, email, name, admin: isAdmin, locale: null };
};
const sql = <T>(query: string, ...params: unknown[]) => db().$client.prepare(query).all(...params) as T[];
const inbox = (userId: number, kind: string) => sql<{ data: string }>('select data from notifications where user_id = ? and kind = ?', userId, kind).map((n) => JSON.parse(n.data) as { key: string });
const tomorrow = () => new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 10);

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('handover'));
  leaver = await person('zhang.min@example.com', '张敏');
  heir = await person('wang.fang@example.com', '王芳');
  watcherHeir = await person('chen.jing@example.com', '陈静');
  stranger = await person('gone@example.com', 'Gone Already');
  updateUser(admin, stranger.id, { active: false });

  createProject(admin, { key: 'PAY', name: 'Payments', owner: member.email });
  createProject(admin, { key: 'OPS', name: 'Operations', owner: leaver.email }); // leaver is OPS's owner and only space admin
  setGrants(admin, 'pay', [{ user: member.email, role: 'admin' }, { user: leaver.email, role: 'admin' }, { user: heir.email, role: 'editor' }]);
  setGrants(admin, 'eng', [{ user: member.email, role: 'editor' }, { user: leaver.email, role: 'editor' }]);
  addGroup(admin, 'support');
  setGroupMembers(admin, 'support', [leaver.email]);
  // Restricted spaces: the support queue reads the vault; only the leaver may read people, where they own a page.
  createSpace(admin, { key: 'vault', name: 'Vault', visibility: 'restricted' });
  setGrants(admin, 'vault', [{ group: 'support', role: 'reader' }]);
  createSpace(admin, { key: 'people', name: 'People', visibility: 'restricted' });
  setGrants(admin, 'people', [{ user: leaver.email, role: 'editor' }]);
  setRules(member, 'PAY', [
    { category: 'issue', assignee: leaver.email }, { tag: 'vip', group: 'support' }, { category: 'issue', assignee: member.email }, { category: 'feature', assignee: leaver.email },
  ]);

  for (const title of ['Refund fails', 'Receipt typo']) await submitRequirement(member, 'PAY', { title, category: 'issue', due: tomorrow() });
  const done = await submitRequirement(member, 'PAY', { title: 'Old and done', category: 'issue' });
  await transitionRequirement(leaver, done.key, { to: 'closed', comment: 'duplicate' }); // a closed one is not held
  await savePage(leaver, { space: 'eng', path: 'runbook', title: 'Runbook', markdown: 'Written by 张敏.' });
  await savePage(member, { space: 'eng', path: 'other', title: 'Other', markdown: 'Not theirs.' });
  await savePage(leaver, { space: 'people', path: 'salaries', title: 'Salaries', markdown: 'Confidential.' });
  setPageWatch(leaver, 'eng', 'other', true);
  db().$client.prepare("insert into watchers (requirement_id, user_id) select id, ? from requirements where key = 'PAY-1'").run(leaver.id);
  setSpaceWatch(leaver, 'eng', true);
  createApiToken(leaver, { name: 'laptop' });
  db().$client.prepare("insert into webhooks (project_id, url, format, created_by) select id, 'https://chat.example.com/hook/secret-token-123', 'json', ? from projects where key = 'OPS'").run(leaver.id);
});

describe('holdings', () => {
  it('lists everything the person holds, with counts and the first items', () => {
    const h = userHoldings(admin, leaver.id);
    expect(h.user).toEqual({ id: leaver.id, email: leaver.email, name: '张敏', active: true });
    expect(h.requirements.count).toBeGreaterThanOrEqual(2);
    expect(h.requirements.items[0]).toMatchObject({ key: 'PAY-1', title: 'Refund fails', project: 'PAY' });
    expect(h.groups).toEqual({ count: 1, items: [{ name: 'support' }] });
    expect(h.rules).toEqual({ count: 2, items: [{ project: 'PAY', rule: 1, category: 'issue', tag: null }, { project: 'PAY', rule: 4, category: 'feature', tag: null }] });
    expect(h.projects).toEqual({ count: 1, items: [{ key: 'OPS', name: 'Operations' }] });
    // PAY has another active admin; OPS has only them.
    expect(h.spaces.items).toEqual([{ key: 'ops', name: 'Operations', onlyAdmin: true }, { key: 'pay', name: 'Payments', onlyAdmin: false }]);
    expect(h.pagesOwned).toEqual({ count: 2, items: [{ space: 'eng', path: 'runbook', title: 'Runbook' }, { space: 'people', path: 'salaries', title: 'Salaries' }] });
    expect(h.watches.requirements.items).toEqual([{ key: 'PAY-1', title: 'Refund fails' }]);
    expect(h.watches.pages.items).toEqual([{ space: 'eng', path: 'other', title: 'Other' }]);
    expect(h.watches.spaces).toEqual({ count: 1, items: [{ key: 'eng', name: 'Engineering' }] });
    expect(h.webhooks.count).toBe(1);
    expect(String(h.webhooks.items[0]!.url)).not.toContain('secret-token-123');
    expect(h.tokens.items).toMatchObject([{ name: 'laptop', readOnly: false }]);
  });

  it('cuts long lists to the first N but counts them all', () => {
    const h = userHoldings(admin, leaver.id, 1);
    expect(h.requirements.items).toHaveLength(1);
    expect(h.requirements.count).toBeGreaterThanOrEqual(2);
  });

  it('does not exist for anyone but a site admin, nor for an unknown user', async () => {
    expect((await failure(() => userHoldings(member, leaver.id))).status).toBe(404);
    expect((await failure(() => userHoldings(null, leaver.id))).status).toBe(404);
    expect((await failure(() => handOver(member, leaver.id, { to: heir.email }))).status).toBe(404);
    expect((await failure(() => orphans(member))).status).toBe(404);
    expect((await failure(() => userHoldings(admin, 99999))).status).toBe(404);
    expect((await failure(() => handOver(admin, 99999, { to: heir.email }))).status).toBe(404);
  });
});

describe('bad handovers change nothing', () => {
  it.each([
    ['to', { to: 'nobody@example.com' }, 'no user'],
    ['to', { to: 'gone@example.com' }, 'inactive'],
    ['to', { to: 'ZHANG.MIN@example.com' }, 'someone other'],
    ['successors.watches', { to: 'wang.fang@example.com', successors: { watches: 'gone@example.com' } }, 'inactive'],
    ['successors.spaces', { to: 'wang.fang@example.com', successors: { spaces: 'zhang.min@example.com' } }, 'someone other'],
  ])('%s: %j → 422 naming the field', async (field, input, why) => {
    const before = JSON.stringify(userHoldings(admin, leaver.id));
    const audit = sql('select id from audit_log').length;
    const err = await failure(() => handOver(admin, leaver.id, { ...input, deactivate: true }));
    expect(err.status).toBe(422);
    // The field, and the code the admin page says it by (src/i18n/errors-forms.ts).
    const { code, email, ...rest } = err.extra;
    expect(rest).toEqual({ field });
    expect(code).toBe({ 'no user': 'noUser', inactive: 'successorInactive', 'someone other': 'successorIsLeaver' }[why]);
    expect(email).toEqual(code === 'successorIsLeaver' ? undefined : expect.any(String));
    expect(err.message).toContain(field);
    expect(err.message).toContain(why);
    expect((await failure(() => previewHandover(admin, leaver.id, input))).extra).toEqual(err.extra);
    expect(JSON.stringify(userHoldings(admin, leaver.id))).toBe(before);
    expect(sql('select id from audit_log').length).toBe(audit);
  });

  it('an admin cannot deactivate themself through a handover', async () => {
    const err = await failure(() => handOver(admin, admin.id, { to: heir.email, deactivate: true }));
    expect([err.status, err.extra]).toEqual([422, { field: 'deactivate', code: 'selfDemote' }]);
  });
});

describe('while the leaver is inactive and nothing is handed over', () => {
  beforeAll(() => updateUser(admin, leaver.id, { active: false }));

  it('the orphans report lists their open requirements, projects, sole-admin spaces and rules', () => {
    const o = orphans(admin);
    expect(o.requirements.items.map((r) => r.key)).toEqual(expect.arrayContaining(['PAY-1', 'PAY-2']));
    expect(o.requirements.items.every((r) => r.assignee === leaver.email)).toBe(true);
    expect(o.projects.items).toEqual([{ key: 'OPS', name: 'Operations', owner: leaver.email }]);
    expect(o.spaces.items).toEqual([{ key: 'ops', name: 'Operations', admins: leaver.email }]); // pay still has li.lei
    // Rule 1 names the leaver; rule 2's group has no active member left.
    expect(o.rules.items).toEqual([
      { project: 'PAY', rule: 1, assignee: leaver.email, group: null }, { project: 'PAY', rule: 2, assignee: null, group: 'support' },
      { project: 'PAY', rule: 4, assignee: leaver.email, group: null },
    ]);
    expect(o.total).toBe(o.requirements.count + 1 + 1 + 3);
  });

  it('routing skips a rule naming them and a group without active members, says so, and the next rule takes it', async () => {
    const req = await submitRequirement(member, 'PAY', { title: 'VIP cannot pay', category: 'issue', tags: ['vip'] });
    const view = getRequirement(admin, req.key);
    expect(view.assignee?.email).toBe(member.email);
    expect(view.routedBy).toEqual({
      via: 'rule', rule: 3, category: 'issue', tag: null, assignee: member.email, group: null,
      skipped: [{ rule: 1, assignee: leaver.email, group: null, reason: 'inactive' }, { rule: 2, assignee: null, group: 'support', reason: 'no-active-member' }],
    });
  });

  it('with no rule left, the project owner takes it and the skipped rules are named', async () => {
    const req = await submitRequirement(heir, 'PAY', { title: 'Owner fallback', category: 'feature' });
    const view = getRequirement(admin, req.key);
    expect(view.assignee?.email).toBe(member.email);
    expect(view.routedBy).toEqual({ via: 'owner', skipped: [{ rule: 4, assignee: leaver.email, group: null, reason: 'inactive' }] });
  });

  it('a nudge for an inactive assignee reaches the project owner', () => {
    nudge(heir, 'PAY-1', { comment: 'any news?' });
    expect(inbox(member.id, 'nudged').map((n) => n.key)).toContain('PAY-1');
    expect(inbox(leaver.id, 'nudged')).toEqual([]);
  });

  it('a due reminder for an inactive assignee reaches the project owner', () => {
    sendDueReminders();
    expect(inbox(member.id, 'due-soon').map((n) => n.key)).toEqual(expect.arrayContaining(['PAY-1', 'PAY-2']));
    expect(inbox(leaver.id, 'due-soon')).toEqual([]);
  });
});

describe('the handover', () => {
  let result: ReturnType<typeof handOver>;
  let preview: ReturnType<typeof previewHandover>;
  let commits = 0;
  let openBefore = 0;
  const input = () => ({ to: 'Wang.Fang@example.com', deactivate: true, successors: { watches: watcherHeir.email } });
  // The heir becomes admin of the spaces the leaver administered, and reads the vault through the
  // support queue; the people page the heir would own stays unreadable to them.
  const access = () => ({
    gained: [{ to: heir.email, space: 'ops', role: 'admin' }, { to: heir.email, space: 'pay', role: 'admin' }, { to: heir.email, space: 'vault', role: 'reader' }],
    unreadable: [{ to: heir.email, kind: 'pages', count: 1, in: ['people'] }],
  });

  beforeAll(() => {
    openBefore = userHoldings(admin, leaver.id).requirements.count;
    const holdings = JSON.stringify(userHoldings(admin, leaver.id));
    const audit = sql('select id from audit_log').length;
    preview = previewHandover(admin, leaver.id, input());
    // The review does the handover and rolls it back: nothing changed.
    expect(JSON.stringify(userHoldings(admin, leaver.id))).toBe(holdings);
    expect(sql('select id from audit_log').length).toBe(audit);
    truncateWal(db().$client);
    result = handOver(admin, leaver.id, input());
    commits = countWalCommits(dbFile());
  });

  it('is reviewed first: who gets each kind, which spaces they gain, and what they would hold but cannot read', () => {
    expect(preview.heirs.pages).toEqual({ email: heir.email, name: heir.name });
    expect(preview.heirs.watches).toEqual({ email: watcherHeir.email, name: watcherHeir.name });
    expect(preview.access).toEqual(access());
    expect(result.access).toEqual(access());
  });

  it('counts commits truly: two transactions show as two', () => {
    truncateWal(db().$client);
    for (let i = 0; i < 2; i++) db().$client.prepare("insert into audit_log (action, subject) values ('bench.probe', ?)").run(String(i));
    expect(countWalCommits(dbFile())).toBe(2);
  });

  it('moves everything in one transaction and answers with the counts', () => {
    expect(commits).toBe(1);
    expect(result).toEqual({
      from: leaver.email, to: heir.email, deactivated: true,
      moved: { requirements: openBefore, groups: 1, rules: 2, projects: 1, spaces: 2, pages: 2, watches: 3, webhooks: 1, tokensRevoked: 1 },
      access: access(),
    });
  });

  it('leaves the leaver holding nothing, and the successors holding it', () => {
    const h = userHoldings(admin, leaver.id);
    expect(h.user.active).toBe(false);
    for (const l of [h.requirements, h.groups, h.rules, h.projects, h.spaces, h.watches.requirements, h.watches.pages, h.watches.spaces, h.webhooks, h.tokens]) expect(l.count).toBe(0);
    const got = userHoldings(admin, heir.id);
    expect(got.requirements.count).toBe(openBefore);
    expect(got.groups.items).toEqual([{ name: 'support' }]);
    expect(got.rules.items.map((x) => x.rule)).toEqual([1, 4]);
    expect(got.projects.items).toEqual([{ key: 'OPS', name: 'Operations' }]);
    expect(got.spaces.items).toEqual([{ key: 'ops', name: 'Operations', onlyAdmin: true }, { key: 'pay', name: 'Payments', onlyAdmin: false }]);
    expect(got.webhooks.count).toBe(1);
    const watched = userHoldings(admin, watcherHeir.id).watches;
    expect([watched.requirements.count, watched.pages.count, watched.spaces.count]).toEqual([1, 1, 1]);
  });

  it('records an event on each requirement and the audit log, with a line per page and per group joined', () => {
    const events = getRequirement(admin, 'PAY-1').events.filter((e) => e.kind === 'handed_over');
    expect(events).toMatchObject([{ actor: { email: admin.email }, from: leaver.email, to: heir.email, fromName: '张敏', toName: '王芳' }]);
    const audit = sql<{ action: string; subject: string; before: string; after: string }>(
      "select action, subject, before, after from audit_log where action in ('user.handover', 'page.handover', 'group.members') and id > (select max(id) from audit_log where action = 'group.members' and subject = 'support' and after like '%zhang.min%') order by id");
    expect(audit.map((a) => [a.action, a.subject])).toEqual([['group.members', 'support'], ['page.handover', 'eng/runbook'], ['page.handover', 'people/salaries'], ['user.handover', leaver.email]]);
    expect([JSON.parse(audit[0]!.before), JSON.parse(audit[0]!.after)]).toEqual([[leaver.email], [heir.email]]);
    expect(JSON.parse(audit[3]!.after)).toMatchObject({ to: heir.email, successors: { watches: watcherHeir.email }, deactivated: true, moved: result.moved, access: access() });
  });

  it('tells each successor once what they received, from whom, counting only what they may read', () => {
    const [item, ...more] = listNotifications(heir).items.filter((i) => i.kind === 'handover');
    expect(more).toEqual([]);
    expect(item).toMatchObject({
      title: '张敏', href: '/my', actor: { email: admin.email },
      handover: { from: { email: leaver.email, name: '张敏' }, received: { requirements: openBefore, projects: 1, spaces: 2, pages: 1, groups: 1, rules: 2, webhooks: 1 } },
    });
    expect(itemLine(item!, 'en')).toBe(`Ada Admin handed over to you what 张敏 held: open requirements: ${openBefore}, projects: 1, spaces to administer: 2, pages to own: 1, queue memberships: 1, routing rules: 2, webhooks: 1`);
    expect(itemLine(item!, 'zh-CN')).toContain(`Ada Admin 将 张敏 名下的事项交接给了你：未完成需求 ${openBefore} 项，项目 1 项`);
    const watches = listNotifications(watcherHeir).items.filter((i) => i.kind === 'handover');
    expect(watches.map((i) => i.handover?.received)).toEqual([{ watches: 3 }]);
    // The runbook's space turns restricted: the heir cannot read it, so the page is no longer counted.
    updateSpace(admin, 'eng', { visibility: 'restricted' });
    try {
      const [now] = listNotifications(heir).items.filter((i) => i.kind === 'handover');
      expect(now!.handover?.received.pages).toBeUndefined();
      expect(now!.handover?.received.requirements).toBe(openBefore);
    } finally {
      updateSpace(admin, 'eng', { visibility: 'org' });
    }
  });

  it('leaves nothing orphaned', () => {
    expect(orphans(admin)).toMatchObject({ total: 0, requirements: { count: 0 }, projects: { count: 0 }, spaces: { count: 0 }, rules: { count: 0 } });
  });

  it('from then on routes to the successor through the moved rule', async () => {
    const req = await submitRequirement(member, 'PAY', { title: 'After the handover', category: 'issue' });
    expect(getRequirement(admin, req.key)).toMatchObject({ assignee: { email: heir.email }, routedBy: { via: 'rule', rule: 1 } });
  });
});

describe('three people in turn hold a project and leave through a handover', () => {
  it('each handover leaves nothing orphaned, and every requirement keeps the whole chain', async () => {
    const chain = [
      await person('first@example.com', 'First Holder'), await person('second@example.com', 'Second Holder'),
      await person('third@example.com', 'Third Holder'), await person('fourth@example.com', 'Fourth Holder'),
    ];
    createProject(admin, { key: 'CHN', name: 'Chain', owner: chain[0]!.email });
    setRules(admin, 'CHN', [{ assignee: chain[0]!.email }]);
    for (const title of ['One', 'Two', 'Three']) await submitRequirement(admin, 'CHN', { title, category: 'feature' });
    for (let i = 0; i < 3; i++) {
      const moved = handOver(admin, chain[i]!.id, { to: chain[i + 1]!.email, deactivate: true }).moved;
      expect(moved).toMatchObject({ requirements: 3, rules: 1, projects: 1, spaces: 1 });
      expect(orphans(admin).total).toBe(0);
    }
    const events = getRequirement(admin, 'CHN-2').events.filter((e) => e.kind === 'handed_over').map((e) => `${e.from}→${e.to}`);
    expect(events).toEqual(['first@example.com→second@example.com', 'second@example.com→third@example.com', 'third@example.com→fourth@example.com']);
    const req = await submitRequirement(admin, 'CHN', { title: 'Four', category: 'feature' });
    expect(getRequirement(admin, req.key).assignee?.email).toBe('fourth@example.com');
  });
});
