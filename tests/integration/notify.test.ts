// Notifications and webhooks against real parts: a real SQLite file, the outbox delivery loop,
// and a real HTTP receiver on 127.0.0.1 (so DOSSIER_WEBHOOK_ALLOW_PRIVATE is on, except where the
// SSRF guard itself is tested).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { freePort } from '../../src/server/meili/process.ts';
import { startWebhookDelivery } from '../../src/server/notify/deliver.ts';
import { sendDueReminders } from '../../src/server/notify/due-reminders.ts';
import { listNotifications, markRead, unreadCount } from '../../src/server/notify/inbox.ts';
import { itemLine } from '../../src/server/notify/item-line.ts';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, updateWebhook } from '../../src/server/notify/webhook-settings.ts';
import { createProject, setRules } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { transitionRequirement } from '../../src/server/requirements/transition.ts';
import { failure, freshEnvironment, waitFor } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let editor: Viewer;
let outsider: Viewer;

// ---- the receiver ----
interface Received { path: string; headers: http.IncomingHttpHeaders; body: string; at: number }
const received: Received[] = [];
const hits = new Map<string, number>();
let receiver: http.Server;
let port: number;

/** Paths choose the behaviour: /ok, /flaky (500 once), /limited (429 Retry-After: 1 once), /gone (410), /broken (always 500), /slow (10 s). */
function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => { body += c; });
  req.on('end', () => {
    const path = req.url ?? '/';
    const name = path.split('/')[1] ?? '';
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    received.push({ path, headers: req.headers, body, at: Date.now() });
    if (name === 'slow') { setTimeout(() => { if (!res.destroyed) res.end('late'); }, 10_000); return; }
    if (name === 'flaky' && n === 1) { res.statusCode = 500; res.end('try again'); return; }
    if (name === 'limited' && n === 1) { res.writeHead(429, { 'retry-after': '1' }); res.end(); return; }
    if (name === 'gone') { res.statusCode = 410; res.end('no such hook'); return; }
    if (name === 'broken') { res.statusCode = 503; res.end('down for maintenance'); return; }
    res.end('ok');
  });
}

function listen(server: http.Server, p = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

const at = (path: string) => received.filter((r) => r.path === path);


let delivery: ReturnType<typeof startWebhookDelivery>;
let projects = 0;
/** A fresh project (owner: member) per test, so webhooks and deliveries of one test do not mix with another's. */
function newProject(): string {
  const key = `N${++projects}`;
  createProject(admin, { key, name: `Project ${projects}`, owner: member.email, visibility: 'restricted' });
  setGrants(admin, key.toLowerCase(), [{ user: member.email, role: 'admin' }, { user: editor.email, role: 'editor' }]);
  return key;
}
const hook = (project: string, path: string, extra: Record<string, unknown> = {}) =>
  createWebhook(member, project, { url: `http://127.0.0.1:${port}${path}`, format: 'json', ...extra });

beforeAll(async () => {
  process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';
  process.env.PUBLIC_URL = 'https://dossier.example.com';
  ({ admin, member } = await freshEnvironment('notify'));
  const editorId = await createUser({ email: 'zhao.min@example.com', name: '赵敏', password: 'a long editor password' });
  const outsiderId = await createUser({ email: 'out@example.com', name: 'Outsider', password: 'a long outsider password' });
  editor = { id: editorId, email: 'zhao.min@example.com', name: '赵敏', admin: false, locale: null };
  outsider = { id: outsiderId, email: 'out@example.com', name: 'Outsider', admin: false, locale: null };
  receiver = http.createServer(handle);
  port = await listen(receiver);
  // Short delays so retries happen within a test; the timeout is shorter than the slow receiver.
  delivery = startWebhookDelivery({ baseDelayMs: 150, maxAttempts: 4, timeoutMs: 2000, pollMs: 50, log: () => {} });
});

afterAll(async () => {
  await delivery?.stop();
  receiver?.closeAllConnections();
  receiver?.close();
});

describe('webhook settings', () => {
  it('creates, lists (URL masked, no secret), updates and deletes webhooks, audited; only project admins', async () => {
    const p = newProject();
    const created = await createWebhook(member, p, { url: `http://127.0.0.1:${port}/ok/a-long-secret-token-in-the-path`, format: 'json', events: ['transitioned', 'created'] });
    expect(created).toMatchObject({ format: 'json', events: ['created', 'transitioned'], url: `http://127.0.0.1:${port}/ok/a-long-secret-token-in-the-path` });
    expect(created.secret).toMatch(/^[0-9a-f]{64}$/); // generated for the signed format, shown once
    const lark = await createWebhook(member, p, { url: `http://127.0.0.1:${port}/ok`, format: 'lark' });
    expect(lark.secret).toBeUndefined();

    const list = listWebhooks(member, p);
    expect(list.map((h) => h.format)).toEqual(['json', 'lark']);
    expect(list[0]!.url).toBe(`http://127.0.0.1:${port}/ok/a-long-s…path`);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    expect(list[0]).toMatchObject({ signed: true, active: true, recent: { delivered: 0, failed: 0, pending: 0, last: null } });

    expect(updateWebhook(member, p, created.id, { active: false, events: ['nudged'] })).toMatchObject({ active: false, events: ['nudged'] });
    deleteWebhook(member, p, lark.id);
    expect(listWebhooks(member, p).map((h) => h.id)).toEqual([created.id]);
    const audit = db().$client.prepare<[], { action: string }>("select action from audit_log where action like 'webhook.%' order by id").all().map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['webhook.create', 'webhook.update', 'webhook.delete']));

    expect((await failure(() => createWebhook(editor, p, { url: `http://127.0.0.1:${port}/ok`, format: 'json' }))).status).toBe(403);
    expect((await failure(() => listWebhooks(editor, p))).status).toBe(403);
    expect((await failure(() => listWebhooks(outsider, p))).status).toBe(404);
    expect((await failure(() => deleteWebhook(member, p, 999_999))).status).toBe(404);
  });

  it('refuses unknown events and formats, bad URLs and secrets (400)', async () => {
    const p = newProject();
    const bad = async (input: Record<string, unknown>) => (await failure(() => createWebhook(member, p, input))).message;
    expect(await bad({ url: `http://127.0.0.1:${port}/ok`, format: 'json', events: ['created', 'deleted'] })).toMatch(/unknown event "deleted"/);
    expect(await bad({ url: `http://127.0.0.1:${port}/ok`, format: 'teams' })).toMatch(/format/);
    expect(await bad({ url: 'ftp://example.com/hook', format: 'json' })).toMatch(/http/);
    expect(await bad({ url: 'not a url', format: 'json' })).toMatch(/valid URL/);
    expect(await bad({ url: `http://user:pw@127.0.0.1:${port}/ok`, format: 'json' })).toMatch(/credentials/);
    expect(await bad({ url: `http://127.0.0.1:${port}/ok`, format: 'slack', secret: 'abcdefgh' })).toMatch(/Slack/);
    expect((await failure(() => updateWebhook(member, p, 1, { events: ['bogus'] }))).status).toBe(400);
  });
});

describe('SSRF guard', () => {
  it('refuses loopback, private, link-local, metadata and names resolving to them unless allowed', async () => {
    const p = newProject();
    delete process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE;
    try {
      for (const url of [
        'http://127.0.0.1/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', `http://localhost:${port}/ok`,
        'http://192.168.1.10/', 'http://172.20.0.1/', 'http://100.100.100.200/', 'http://[fd00:ec2::254]/', 'http://[::ffff:127.0.0.1]/',
        'http://[::ffff:a9fe:a9fe]/', 'http://0.0.0.0/', 'http://2130706433/', 'http://[fe80::1]/',
      ]) {
        const err = await failure(() => createWebhook(member, p, { url, format: 'json' }));
        expect(err.status, url).toBe(400);
        expect(err.message, url).toMatch(/private, loopback or link-local.*DOSSIER_WEBHOOK_ALLOW_PRIVATE/);
        // Said to the project admin by its code, in their language, without the server's setting.
        expect(err.extra, url).toMatchObject({ code: 'urlPrivate', host: expect.any(String), address: expect.any(String) });
      }
    } finally {
      process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';
    }
    // Allowed when the deployment says so (intranet): these are accepted.
    expect((await createWebhook(member, p, { url: 'http://10.1.2.3/hook', format: 'slack' })).id).toBeGreaterThan(0);
  });

  it('checks again at delivery time, on the address actually connected to', async () => {
    const p = newProject();
    // Saved while allowed, delivered while not: both a literal address and a name that resolves to loopback.
    const literal = await hook(p, '/ok/literal');
    const named = await createWebhook(member, p, { url: `http://localhost:${port}/ok/named`, format: 'json' });
    delete process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE;
    try {
      await submitRequirement(member, p, { title: 'Rebinding attempt', category: 'feature' });
      for (const id of [literal.id, named.id]) {
        const [d] = await waitFor('a refused delivery', () => { const log = listDeliveries(member, p, id); return log[0]?.status === 'failed' && log; });
        expect(d).toMatchObject({ status: 'failed', attempts: 1, responseStatus: null });
        expect(d!.lastError).toMatch(/private, loopback or link-local/);
      }
    } finally {
      process.env.DOSSIER_WEBHOOK_ALLOW_PRIVATE = 'true';
    }
    expect(at('/ok/literal')).toHaveLength(0);
    expect(at('/ok/named')).toHaveLength(0);
  });
});

describe('formats', () => {
  it('sends signed JSON, a Lark bot message with its signature, and a Slack message', async () => {
    const p = newProject();
    const jsonSecret = 'a shared json secret';
    const larkSecret = 'lark-bot-secret';
    await hook(p, '/json', { secret: jsonSecret });
    await hook(p, '/lark', { format: 'lark', secret: larkSecret, language: 'zh-CN' });
    await hook(p, '/slack', { format: 'slack' });
    const { key } = await submitRequirement(editor, p, { title: 'Refunds <fast> & safe', category: 'feature', due: '2030-01-31' });

    const [j] = await waitFor('the JSON delivery', () => at('/json').length === 1 && at('/json'));
    const ts = j!.headers['x-dossier-timestamp'] as string;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(30);
    const expected = createHmac('sha256', jsonSecret).update(`${ts}.${j!.body}`).digest('hex');
    expect(j!.headers['x-dossier-signature']).toBe(`sha256=${expected}`);
    expect(j!.headers['x-dossier-event']).toBe('created');
    expect(j!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(j!.body);
    expect(body).toMatchObject({
      event: 'created', project: { key: p, name: expect.any(String) }, actor: { email: editor.email, name: '赵敏' },
      requirement: { key, title: 'Refunds <fast> & safe', status: 'submitted', statusName: { en: 'Submitted', zh: '已提交' }, category: 'feature', due: '2030-01-31', url: `https://dossier.example.com/p/${p}/${key}`, assignee: { email: member.email } },
      data: { title: 'Refunds <fast> & safe', category: 'feature' },
    });
    expect(Date.parse(body.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(j!.headers['x-dossier-delivery']).toBe(String(listDeliveries(member, p, listWebhooks(member, p)[0]!.id)[0]!.id));

    const [l] = await waitFor('the Lark delivery', () => at('/lark').length === 1 && at('/lark'));
    const lark = JSON.parse(l!.body);
    expect(lark.msg_type).toBe('text');
    // Angle brackets from users go full-width in Lark, so a title cannot <at> anybody.
    expect(lark.content.text).toContain(`${key} Refunds ＜fast＞ & safe · 已提交`);
    expect(lark.content.text).toContain(`https://dossier.example.com/p/${p}/${key}`);
    expect(lark.content.text).toContain('赵敏 提交了需求，处理人：李雷');
    const larkSign = createHmac('sha256', `${lark.timestamp}\n${larkSecret}`).update('').digest('base64');
    expect(lark.sign).toBe(larkSign);

    const [s] = await waitFor('the Slack delivery', () => at('/slack').length === 1 && at('/slack'));
    const slack = JSON.parse(s!.body);
    expect(slack.text).toContain(key);
    expect(slack.blocks[0].text.text).toContain(`<https://dossier.example.com/p/${p}/${key}|${key} Refunds &lt;fast&gt; &amp; safe>`);
    expect(s!.headers['x-dossier-signature']).toBeUndefined();

    // In the webhook's language (the Slack one has none: the site default, English).
    expect(slack.blocks[0].text.text).toContain('赵敏 submitted a Feature request; assignee: 李雷');
    transitionRequirement(member, key, { to: 'approved' });
    const [t] = await waitFor('the transition message', () => at('/lark').length === 2 && at('/lark').slice(1));
    expect(JSON.parse(t!.body).content.text).toContain('李雷 将状态从「已提交」改为「已批准」');
  });
});

describe('delivery', () => {
  it('retries after a 500 and delivers; honours Retry-After on 429; a 410 fails at once; gives up in the end', async () => {
    const p = newProject();
    const flaky = await hook(p, '/flaky');
    const limited = await hook(p, '/limited');
    const gone = await hook(p, '/gone');
    const broken = await hook(p, '/broken');
    await submitRequirement(member, p, { title: 'Retry me', category: 'feature' });

    const [f] = await waitFor('the flaky delivery', () => listDeliveries(member, p, flaky.id).filter((d) => d.status === 'delivered'));
    expect(f).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 200, lastError: null, nextAttemptAt: null });
    expect(at('/flaky').map((r) => r.headers['x-dossier-delivery'])).toEqual([String(f!.id), String(f!.id)]);

    const [l] = await waitFor('the rate-limited delivery', () => listDeliveries(member, p, limited.id).filter((d) => d.status === 'delivered'), 20_000);
    expect(l!.attempts).toBe(2);
    const [first, second] = at('/limited');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900); // Retry-After: 1, not the 150 ms backoff

    const [g] = listDeliveries(member, p, gone.id);
    expect(g).toMatchObject({ status: 'failed', attempts: 1, responseStatus: 410, lastError: 'HTTP 410: no such hook' });
    expect(at('/gone')).toHaveLength(1);

    const [b] = await waitFor('giving up', () => listDeliveries(member, p, broken.id).filter((d) => d.status === 'failed'), 20_000);
    expect(b).toMatchObject({ attempts: 4, responseStatus: 503 });
    expect(b!.lastError).toMatch(/HTTP 503: down for maintenance; gave up after 4 attempts/);
    expect(at('/broken')).toHaveLength(4);
    expect(listWebhooks(member, p).find((h) => h.id === broken.id)!.recent).toMatchObject({ failed: 1, last: { status: 'failed', responseStatus: 503 } });
  });

  it('delivers to a receiver that is down at first and comes up later', async () => {
    const p = newProject();
    const laterPort = await freePort();
    const down = await createWebhook(member, p, { url: `http://127.0.0.1:${laterPort}/later`, format: 'json' });
    await submitRequirement(member, p, { title: 'Wait for the receiver', category: 'feature' });
    const [d] = await waitFor('a failed first attempt', () => { const log = listDeliveries(member, p, down.id); return log[0]!.attempts >= 1 && log; });
    expect(d).toMatchObject({ status: 'pending', responseStatus: null });
    expect(d!.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(d!.nextAttemptAt!)).toBeGreaterThan(Date.parse(d!.lastAttemptAt!));

    const late = http.createServer(handle);
    await listen(late, laterPort);
    try {
      const [ok] = await waitFor('the late delivery', () => listDeliveries(member, p, down.id).filter((x) => x.status === 'delivered'), 20_000);
      expect(ok!.attempts).toBeGreaterThanOrEqual(2);
      expect(at('/later')).toHaveLength(1);
    } finally {
      late.close();
    }
  });

  it('a slow receiver delays neither a save nor other deliveries', async () => {
    const p = newProject();
    await hook(p, '/slow');
    await hook(p, '/ok/fast');
    const { key } = await submitRequirement(member, p, { title: 'Slow receiver', category: 'feature' });
    await waitFor('the slow receiver to be busy', () => at('/slow').length === 1);

    // A save only writes rows: measured while the slow receiver holds its connections and a
    // backlog for it builds up (more deliveries than its slots).
    const saves: number[] = [];
    for (const priority of ['high', 'low', 'urgent', 'normal', 'high'] as const) {
      const started = performance.now();
      await editRequirement(member, key, { priority });
      saves.push(performance.now() - started);
    }
    expect(Math.max(...saves)).toBeLessThan(500);

    // The fast receiver gets all six events while the slow one still sleeps.
    await waitFor('all fast deliveries', () => at('/ok/fast').length === 6, 3000);
    const slowStarted = at('/slow')[0]!.at;
    expect(at('/ok/fast')[5]!.at - slowStarted).toBeLessThan(2500);
    // The slow one timed out (2 s here) and is retried, logged as such.
    const slowHook = listWebhooks(member, p)[0]!;
    const [logged] = await waitFor('the timeout to be logged', () => { const log = listDeliveries(member, p, slowHook.id); return log.find((d) => d.lastError) && log.filter((d) => d.lastError); }, 5000);
    expect(logged!.lastError).toMatch(/no answer within 2 s/);
  });

  it('sends only the events a webhook asks for, and nothing when it is switched off', async () => {
    const p = newProject();
    const onlyTransitions = await hook(p, '/ok/filtered', { events: ['transitioned'] });
    const everything = await hook(p, '/ok/all');
    const { key } = await submitRequirement(editor, p, { title: 'Filter me', category: 'feature' });
    commentOn(editor, key, { comment: 'First!' });
    transitionRequirement(member, key, { to: 'approved' });
    await waitFor('all events at the unfiltered hook', () => at('/ok/all').length === 3);
    await waitFor('the transition at the filtered hook', () => at('/ok/filtered').length === 1);
    expect(at('/ok/all').map((r) => r.headers['x-dossier-event'])).toEqual(expect.arrayContaining(['created', 'commented', 'transitioned']));
    expect(at('/ok/filtered').map((r) => r.headers['x-dossier-event'])).toEqual(['transitioned']);
    expect(listDeliveries(member, p, onlyTransitions.id)).toHaveLength(1);

    updateWebhook(member, p, everything.id, { active: false });
    nudge(editor, key);
    await new Promise((r) => setTimeout(r, 500));
    expect(at('/ok/all')).toHaveLength(3);
    expect(listDeliveries(member, p, everything.id)).toHaveLength(3);
  });
});

describe('due reminders', () => {
  it('tells the assignee (or the queue) once per requirement, due date and kind', async () => {
    const p = newProject();
    addGroup(admin, 'night-shift');
    setGroupMembers(admin, 'night-shift', [editor.email, admin.email]);
    setRules(member, p, [{ category: 'issue', group: 'night-shift' }]);
    // The outsider joins the group after the rule was saved but may not read the (restricted) project: never told.
    setGroupMembers(admin, 'night-shift', [editor.email, admin.email, outsider.email]);
    // Requirements of earlier tests with due dates are past due by then: let them have their reminders first.
    sendDueReminders(Date.parse('2040-03-10T09:00:00Z'));
    const now = Date.parse('2040-03-10T09:00:00Z');
    const soon = await submitRequirement(editor, p, { title: 'Due in two days', category: 'feature', due: '2040-03-12' });
    const later = await submitRequirement(editor, p, { title: 'Due next month', category: 'feature', due: '2040-04-10' });
    const queued = await submitRequirement(member, p, { title: 'Queue item due tomorrow', category: 'issue', due: '2040-03-11' });
    const closed = await submitRequirement(editor, p, { title: 'Rejected already', category: 'feature', due: '2040-03-01' });
    transitionRequirement(member, closed.key, { to: 'rejected', comment: 'Out of scope' });

    const reminders = (userId: number) => db().$client.prepare<[number, string], { kind: string; key: string; due: string }>(
      "select kind, json_extract(data, '$.key') as key, json_extract(data, '$.due') as due from notifications where user_id = ? and kind in ('due-soon', 'overdue') and json_extract(data, '$.key') like ? order by id",
    ).all(userId, `${p}-%`);

    expect(sendDueReminders(now)).toBe(3); // the owner for soon; both queue members for queued
    expect(reminders(member.id)).toEqual([{ kind: 'due-soon', key: soon.key, due: '2040-03-12' }]);
    expect(reminders(editor.id)).toEqual([{ kind: 'due-soon', key: queued.key, due: '2040-03-11' }]);
    expect(reminders(admin.id)).toHaveLength(1);
    expect(reminders(outsider.id)).toEqual([]);
    expect(listNotifications(outsider).items.filter((i) => i.project === p)).toEqual([]); // nor of the queued submission
    expect(sendDueReminders(now)).toBe(0);
    expect(sendDueReminders(now + 3600_000)).toBe(0);

    // Past due: one overdue reminder each, then silence.
    const after = Date.parse('2040-03-13T09:00:00Z');
    expect(sendDueReminders(after)).toBe(3);
    expect(reminders(member.id).map((r) => r.kind)).toEqual(['due-soon', 'overdue']);
    expect(sendDueReminders(after + 86_400_000)).toBe(0);

    // A new due date earns new reminders; the month-away item and the closed one never got any.
    await editRequirement(member, soon.key, { due: '2040-03-14' });
    expect(sendDueReminders(after)).toBe(1);
    expect(reminders(member.id).at(-1)).toEqual({ kind: 'due-soon', key: soon.key, due: '2040-03-14' });
    expect(reminders(member.id).some((r) => r.key === later.key || r.key === closed.key)).toBe(false);
  });
});

describe('inbox', () => {
  it('lists newest first with what happened, counts unread, marks one and then all read, only the viewer\'s own', async () => {
    const p = newProject();
    const before = unreadCount(member.id);
    const { key } = await submitRequirement(editor, p, { title: '收件箱测试', category: 'feature' });
    commentOn(editor, key, { comment: `@${member.email} please look` });
    transitionRequirement(editor, key, { to: 'approved' });
    expect(unreadCount(member.id)).toBe(before + 3);

    const inbox = listNotifications(member, { limit: 3 });
    expect(inbox.unread).toBe(before + 3);
    expect(inbox.items.map((i) => i.kind)).toEqual(['transitioned', expect.stringMatching(/^(commented|mentioned)$/), 'assigned']);
    expect(inbox.items[0]).toMatchObject({ key, project: p, title: '收件箱测试', href: `/p/${p}/${key}`, actor: { name: '赵敏' }, read: false, from: 'submitted', to: 'approved' });
    expect(inbox.nextBefore).toBe(inbox.items[2]!.id);

    // The editor cannot mark the member's notification read.
    expect(markRead(editor, [inbox.items[0]!.id])).toBe(0);
    expect(markRead(member, [inbox.items[0]!.id])).toBe(1);
    expect(unreadCount(member.id)).toBe(before + 2);
    expect(listNotifications(member, { unreadOnly: true }).items.some((i) => i.id === inbox.items[0]!.id)).toBe(false);
    expect(listNotifications(member).items[0]).toMatchObject({ id: inbox.items[0]!.id, read: true });

    expect(markRead(member)).toBe(before + 2);
    expect(unreadCount(member.id)).toBe(0);
    expect(listNotifications(member, { unreadOnly: true }).items).toEqual([]);
    expect((await failure(() => listNotifications(null))).status).toBe(401);
    expect((await failure(() => markRead(member, [1.5]))).status).toBe(400);
  });

  it('folds one person\'s moves of a requirement within minutes into one unread item; a move that says why, or one after reading, stands alone', async () => {
    const p = newProject();
    const items = (key: string) => listNotifications(member).items.filter((i) => i.key === key && i.kind === 'transitioned');
    const walked = await submitRequirement(editor, p, { title: 'Walked through', category: 'feature' });
    transitionRequirement(editor, walked.key, { to: 'approved' });
    transitionRequirement(editor, walked.key, { to: 'in-progress' });
    const [item, ...more] = items(walked.key);
    expect(more).toEqual([]);
    expect(item).toMatchObject({ from: 'submitted', to: 'in-progress', status: 'in-progress', moves: 2, read: false });
    expect(itemLine(item!, 'en')).toBe('赵敏 moved it from “Submitted” to “In progress” (2 moves)');
    expect(itemLine(item!, 'zh-CN')).toBe('赵敏 将状态从「已提交」改为「开发中」（共 2 次变更）');

    const rejected = await submitRequirement(editor, p, { title: 'Said why', category: 'feature' });
    transitionRequirement(editor, rejected.key, { to: 'rejected', comment: 'a duplicate of another' });
    transitionRequirement(editor, rejected.key, { to: 'submitted', comment: 'not a duplicate after all' });
    expect(items(rejected.key).map((i) => [i.to, i.comment, i.moves])).toEqual([['submitted', 'not a duplicate after all', undefined], ['rejected', 'a duplicate of another', undefined]]);

    const read = await submitRequirement(editor, p, { title: 'Read between moves', category: 'feature' });
    transitionRequirement(editor, read.key, { to: 'approved' });
    markRead(member);
    transitionRequirement(editor, read.key, { to: 'in-progress' });
    expect(items(read.key).map((i) => [i.from, i.to, i.read])).toEqual([['approved', 'in-progress', false], ['submitted', 'approved', true]]);
  });
});
