// Desk mechanics (issue 12, part 1) on a real SQLite file: claiming from a queue, rule targets that
// must be able to edit, tags matched by case, width and aliases, SLA deadlines and first response,
// escalation once per deadline, and the reporter's confirmation with automatic closing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupLead, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { claimRequirement } from '../../src/server/desk/claim.ts';
import { escalateOverdue } from '../../src/server/desk/escalation.ts';
import { answerResolution, closeExpiredResolutions } from '../../src/server/desk/resolution.ts';
import { projectTags, setConfirmDays, setSla, setTagAliases } from '../../src/server/desk/settings.ts';
import { validateAliases } from '../../src/server/desk/tags.ts';
import { addHours } from '../../src/server/desk/working-hours.ts';
import { createProject, setRules } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { projectDashboard } from '../../src/server/requirements/dashboard.ts';
import { listRequirements } from '../../src/server/requirements/list.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let owner: Viewer;
let agent: Viewer;
let reader: Viewer;
let outsider: Viewer;
let lead: Viewer;
const HOUR = 3_600_000;

const person = async (email: string, name: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name, password: 'a long enough password 1' }), email, name, admin: false, locale: null });
const row = (key: string) => db().$client.prepare<[string], Record<string, number | null>>('select respond_by, resolve_by, first_response_at, resolved_at, confirmed_at, closed_at, escalated_response_at, escalated_resolve_at, assignee_id, group_id from requirements where key = ?').get(key)!;
const inbox = (userId: number) => db().$client.prepare<[number], { kind: string; data: string }>('select kind, data from notifications where user_id = ? order by id').all(userId);
const events = (key: string) => db().$client.prepare<[string], { kind: string; data: string }>('select e.kind, e.data from requirement_events e join requirements r on r.id = e.requirement_id where r.key = ? order by e.id').all(key);

beforeAll(async () => {
  ({ admin, member: owner } = await freshEnvironment('desk'));
  agent = await person('agent@example.com', 'Agent');
  reader = await person('reader@example.com', 'Reader');
  outsider = await person('outsider@example.com', 'Outsider');
  lead = await person('lead@example.com', 'Lead');
  createProject(admin, { key: 'DESK', name: 'Help desk', owner: owner.email, visibility: 'restricted' });
  setGrants(admin, 'desk', [{ user: owner.email, role: 'admin' }, { user: agent.email, role: 'editor' }, { user: reader.email, role: 'reader' }, { user: lead.email, role: 'editor' }]);
  addGroup(admin, 'agents');
  setGroupMembers(admin, 'agents', [agent.email]);
  addGroup(admin, 'mixed');
  setGroupMembers(admin, 'mixed', [agent.email, reader.email]);
  addGroup(admin, 'empty');
});

describe('routing rules must send work to people who can act on it', () => {
  it('refuses a person or a group that cannot edit the project (422, naming the rule and why); nothing changes', async () => {
    const person = await failure(() => setRules(owner, 'DESK', [{ category: 'issue', group: 'agents' }, { tag: 'x', assignee: reader.email }]));
    expect(person.status).toBe(422);
    expect(person.message).toBe('rule 2: reader@example.com cannot edit space "desk", so could not work on what the rule sends; grant them the editor role first');
    expect(person.extra).toEqual({ rule: 2, reason: expect.any(String) });
    const group = await failure(() => setRules(owner, 'DESK', [{ group: 'mixed' }]));
    expect([group.status, group.message]).toEqual([422, 'rule 1: group "mixed" cannot edit space "desk" (reader@example.com may only read); grant the group the editor role first']);
    expect((await failure(() => setRules(owner, 'DESK', [{ group: 'empty' }]))).message).toContain('has no active members');
    expect(setRules(owner, 'DESK', [{ category: 'issue', tag: 'login', group: 'agents' }])).toHaveLength(1);
  });
});

describe('tags', () => {
  it('are trimmed, width-normalised and de-duplicated regardless of case when saved', async () => {
    const req = await submitRequirement(owner, 'DESK', { title: 'Tags', category: 'feature', tags: ['  ＶＩＰ ', 'vip', 'Login'] });
    expect(req.tags).toEqual(['VIP', 'Login']);
  });

  it('route by case, width and project aliases (登录 = login)', async () => {
    setTagAliases(owner, 'DESK', { aliases: { '登录': 'login', 'Sign-In': 'LOGIN' } });
    for (const tag of ['LOGIN', 'ｌｏｇｉｎ', '登录', 'sign-in']) {
      const req = await submitRequirement(owner, 'DESK', { title: `Cannot sign in (${tag})`, category: 'issue', tags: [tag] });
      expect(row(req.key).group_id, tag).not.toBeNull();
    }
    const other = await submitRequirement(owner, 'DESK', { title: 'Slow page', category: 'issue', tags: ['perf'] });
    expect(row(other.key).assignee_id).toBe(owner.id);
  });

  it('filter the list the same way, and the submit form offers the tags in use', () => {
    expect(listRequirements(owner, 'DESK', { tag: 'Login' }).map((r) => r.title)).toEqual(['Tags', 'Cannot sign in (LOGIN)', 'Cannot sign in (ｌｏｇｉｎ)', 'Cannot sign in (登录)', 'Cannot sign in (sign-in)']);
    expect(listRequirements(owner, 'DESK', { tag: '登录' })).toHaveLength(5);
    expect(projectTags(owner, 'DESK')).toEqual(expect.arrayContaining(['VIP', 'perf']));
    expect(projectTags(owner, 'DESK').filter((t) => t.toLowerCase() === 'login')).toHaveLength(1);
  });

  it('refuses alias cycles and self-aliases (422) and keeps the old aliases', async () => {
    expect(validateAliases({ a: 'b', b: 'c' })).toEqual({ a: 'c', b: 'c' });
    const cycle = await failure(() => setTagAliases(owner, 'DESK', { aliases: { a: 'b', b: 'c', c: 'A' } }));
    expect([cycle.status, cycle.message]).toEqual([422, 'Tag aliases go round in a circle: a → b → c → a']);
    expect((await failure(() => setTagAliases(owner, 'DESK', { aliases: { Login: 'ＬＯＧＩＮ' } }))).status).toBe(422);
    expect((await failure(() => setTagAliases(owner, 'DESK', { aliases: { x: 5 } }))).status).toBe(422);
    expect((await failure(() => setTagAliases(agent, 'DESK', { aliases: {} }))).status).toBe(403);
    expect(listRequirements(owner, 'DESK', { tag: '登录' })).toHaveLength(5);
  });
});

describe('claiming', () => {
  it('lets a queue member who can edit take it: assignee set, queue cleared, event recorded', async () => {
    const key = listRequirements(owner, 'DESK', { tag: 'login', category: 'issue' })[0]!.key;
    expect(listRequirements(agent, 'DESK', { tag: 'login', category: 'issue' })[0]!.canClaim).toBe(true);
    expect(claimRequirement(agent, key)).toMatchObject({ key, assignee: { email: agent.email, name: 'Agent' } });
    expect(row(key)).toMatchObject({ assignee_id: agent.id, group_id: null });
    expect(events(key).at(-1)!.kind).toBe('claimed');
    expect(getRequirement(agent, key).desk.canClaim).toBe(false);
    // Any editor may take it over; a reader may not (403), an outsider does not see it (404).
    expect(claimRequirement(lead, key).assignee.email).toBe(lead.email);
    expect((await failure(() => claimRequirement(reader, key))).status).toBe(403);
    expect((await failure(() => claimRequirement(outsider, key))).status).toBe(404);
    expect((await failure(() => claimRequirement(agent, 'DESK-999'))).status).toBe(404);
    expect(row(key).assignee_id).toBe(lead.id);
  });
});

describe('SLA', () => {
  it('refuses bad values with 422: negative, over a year, not numbers, unknown clocks, categories or priorities', async () => {
    const bad = [
      { issue: { urgent: { firstResponseHours: -1, resolveHours: 24 } } },
      { issue: { urgent: { firstResponseHours: 4, resolveHours: 87_600 } } },
      { issue: { urgent: { firstResponseHours: '4', resolveHours: 24 } } },
      { issue: { urgent: { firstResponseHours: 4, resolveHours: 24, clock: 'lunar' } } },
      { issue: { urgent: { firstResponseHours: 48, resolveHours: 24 } } },
      { bug: { urgent: { firstResponseHours: 4, resolveHours: 24 } } },
      { issue: { asap: { firstResponseHours: 4, resolveHours: 24 } } },
      { issue: [] }, [],
    ];
    for (const sla of bad) expect((await failure(() => setSla(owner, 'DESK', sla))).status, JSON.stringify(sla)).toBe(422);
    expect((await failure(() => setConfirmDays(owner, 'DESK', { confirmDays: 0 }))).status).toBe(422);
  });

  it('counts working hours Monday to Friday 09:00–18:00 in the site time zone', () => {
    const friday5pm = Date.parse('2026-12-04T17:00:00Z');
    expect(new Date(addHours(friday5pm, 2, 'working', 'UTC')).toISOString()).toBe('2026-12-07T10:00:00.000Z');
    expect(new Date(addHours(friday5pm, 2, 'calendar', 'UTC')).toISOString()).toBe('2026-12-04T19:00:00.000Z');
    // 09:00 in Shanghai is 01:00 UTC; a Saturday start waits for Monday.
    expect(new Date(addHours(Date.parse('2026-12-05T03:00:00Z'), 1, 'working', 'Asia/Shanghai')).toISOString()).toBe('2026-12-07T02:00:00.000Z');
    expect(new Date(addHours(friday5pm, 9 * 5, 'working', 'UTC')).toISOString()).toBe('2026-12-11T17:00:00.000Z');
  });

  it('sets the deadlines and due date on submission and records the first response by someone else', async () => {
    setSla(owner, 'DESK', { issue: { urgent: { firstResponseHours: 4, resolveHours: 24, clock: 'calendar' } } });
    const before = Date.now();
    const req = await submitRequirement(reader, 'DESK', { title: 'Checkout down', category: 'issue', priority: 'urgent' });
    const r = row(req.key);
    expect(r.respond_by! - before).toBeGreaterThanOrEqual(4 * HOUR);
    expect(r.respond_by! - before).toBeLessThan(4 * HOUR + 5000);
    expect(r.resolve_by! - r.respond_by!).toBe(20 * HOUR);
    expect(req.due).toBe(new Date(r.resolve_by!).toISOString().slice(0, 10));
    commentOn(reader, req.key, { comment: 'Still down!' });
    expect(row(req.key).first_response_at).toBeNull();
    commentOn(agent, req.key, { comment: 'Looking at it.' });
    const first = row(req.key).first_response_at!;
    expect(first).toBeGreaterThanOrEqual(before);
    commentOn(lead, req.key, { comment: 'Me too.' });
    expect(row(req.key).first_response_at).toBe(first);
    // No SLA for this category × priority: no deadlines.
    const plain = await submitRequirement(reader, 'DESK', { title: 'Typo', category: 'issue', priority: 'low' });
    expect(row(plain.key)).toMatchObject({ respond_by: null, resolve_by: null });
  });
});

describe('escalation', () => {
  it('tells the project owner once per passed deadline, records it and shows it', async () => {
    const req = await submitRequirement(reader, 'DESK', { title: 'Nobody answers', category: 'issue', priority: 'urgent', tags: ['perf'] });
    const ownerInbox = inbox(owner.id).length;
    expect(escalateOverdue(Date.now() + HOUR)).toBe(0);
    expect(escalateOverdue(Date.now() + 5 * HOUR)).toBeGreaterThanOrEqual(1);
    expect(escalateOverdue(Date.now() + 5 * HOUR)).toBe(0); // once
    expect(events(req.key).filter((e) => e.kind === 'escalated').map((e) => JSON.parse(e.data).deadline)).toEqual(['response']);
    const told = inbox(owner.id).slice(ownerInbox).filter((n) => n.kind === 'escalated').map((n) => JSON.parse(n.data));
    expect(told.map((d) => [d.key, d.deadline])).toContainEqual([req.key, 'response']);
    expect(getRequirement(owner, req.key).desk).toMatchObject({ escalated: true });
    escalateOverdue(Date.now() + 25 * HOUR);
    expect(events(req.key).filter((e) => e.kind === 'escalated').map((e) => JSON.parse(e.data).deadline)).toEqual(['response', 'resolve']);
  });

  it("tells the queue group's lead instead when it waits in a queue whose group has one", async () => {
    setGroupLead(admin, 'agents', lead.email);
    const req = await submitRequirement(reader, 'DESK', { title: 'Login broken', category: 'issue', priority: 'urgent', tags: ['登录'] });
    expect(row(req.key).group_id).not.toBeNull();
    const leadInbox = inbox(lead.id).length;
    escalateOverdue(Date.now() + 5 * HOUR);
    expect(inbox(lead.id).slice(leadInbox).map((n) => [n.kind, JSON.parse(n.data).key])).toEqual([['escalated', req.key]]);
  });
});

describe("the reporter's confirmation", () => {
  it('confirms a resolution: the item closes in its done state', async () => {
    const req = await submitRequirement(reader, 'DESK', { title: 'Refund missing', category: 'issue' });
    expect((await failure(() => answerResolution(reader, req.key, { action: 'confirm' }))).status).toBe(422); // not resolved yet
    claimRequirement(agent, req.key);
    transitionRequirement(agent, req.key, { to: 'in-progress' });
    transitionRequirement(agent, req.key, { to: 'resolved' });
    expect(row(req.key).resolved_at).not.toBeNull();
    expect(getRequirement(reader, req.key).desk.confirmation).toMatchObject({ state: 'awaiting', canAnswer: true });
    expect((await failure(() => answerResolution(agent, req.key, { action: 'confirm' }))).status).toBe(403);
    expect(answerResolution(reader, req.key, { action: 'confirm' }).status).toBe('closed');
    expect(row(req.key).confirmed_at).not.toBeNull();
    expect((await failure(() => answerResolution(reader, req.key, { action: 'reopen', comment: 'Too late' }))).extra.code).toBe('resolutionClosed');
  });

  it('reopens a resolution the way its workflow leads back to work in progress', async () => {
    const req = await submitRequirement(reader, 'DESK', { title: 'Invoice wrong', category: 'issue' });
    claimRequirement(agent, req.key);
    transitionRequirement(agent, req.key, { to: 'in-progress' });
    transitionRequirement(agent, req.key, { to: 'resolved' });
    // Without saying what is still wrong: refused, as the workflow's own way back from a rejection is.
    for (const comment of [undefined, '  ']) {
      const err = await failure(() => answerResolution(reader, req.key, { action: 'reopen', comment }));
      expect([err.status, err.extra.code]).toEqual([422, 'reopenReason']);
    }
    expect(getRequirement(reader, req.key).status).toBe('resolved');
    const reopened = answerResolution(reader, req.key, { action: 'reopen', comment: 'Still wrong' });
    // Resolved → In progress is the workflow's way back: the assignee goes on with it.
    expect([reopened.status, reopened.assigneeId, reopened.resolvedAt, reopened.closedAt]).toEqual(['in-progress', agent.id, null, null]);
    expect(JSON.parse(events(req.key).at(-1)!.data)).toMatchObject({ from: 'resolved', to: 'in-progress', comment: 'Still wrong' });
  });

  it('asks nothing of a reporter who closes their own requirement', async () => {
    const req = await submitRequirement(agent, 'DESK', { title: 'My own printer jam', category: 'issue' });
    claimRequirement(agent, req.key);
    transitionRequirement(agent, req.key, { to: 'in-progress' });
    transitionRequirement(agent, req.key, { to: 'resolved' });
    transitionRequirement(agent, req.key, { to: 'closed' });
    expect(getRequirement(agent, req.key).desk.confirmation).toEqual({ state: 'closed', until: null, canAnswer: false });
    expect(row(req.key).confirmed_at).not.toBeNull();
  });

  it('closes unanswered resolutions after the configured days, and not before', async () => {
    setConfirmDays(owner, 'DESK', { confirmDays: 3 });
    const req = await submitRequirement(reader, 'DESK', { title: 'Password reset', category: 'issue' });
    claimRequirement(agent, req.key);
    transitionRequirement(agent, req.key, { to: 'in-progress' });
    transitionRequirement(agent, req.key, { to: 'resolved' });
    expect(closeExpiredResolutions(Date.now() + 2 * 24 * HOUR)).toBe(0);
    expect(closeExpiredResolutions(Date.now() + 3 * 24 * HOUR + HOUR)).toBe(1);
    expect(getRequirement(reader, req.key)).toMatchObject({ status: 'closed', done: true, desk: { confirmation: { state: 'closed' } } });
    expect(events(req.key).at(-1)!.kind).toBe('auto-closed');
  });
});

describe('the figure cards', () => {
  it('count what the list filters select', () => {
    const all = projectDashboard(owner, 'DESK');
    const issues = projectDashboard(owner, 'DESK', Date.now(), { category: 'issue' });
    const open = listRequirements(owner, 'DESK', { category: 'issue', status: 'open' }).length;
    expect(issues.open).toBe(open);
    expect(all.open).toBeGreaterThan(issues.open);
    expect(projectDashboard(owner, 'DESK', Date.now(), { status: 'issue:closed' }).open).toBe(0);
    // Confirmed, closed by the reporter themself, and closed when the days ran out.
    expect(listRequirements(owner, 'DESK', { status: 'issue:closed' }).map((r) => r.status)).toEqual(['closed', 'closed', 'closed']);
  });
});
