// E-mail against a real SMTP server (smtp-server on 127.0.0.1), a real SQLite file and the real
// outbox: language, link back, preferences, the daily digest, SMTP down / refusing / stalling,
// access decided at send time, and hostile addresses that must not become headers.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox, users } from '../../db/schema.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { isSafeAddress, parseFrom } from '../../src/server/mail/address.ts';
import { queueDigests } from '../../src/server/mail/digest.ts';
import { getPrefs, setPrefs } from '../../src/server/mail/prefs.ts';
import { startMailDelivery } from '../../src/server/mail/send.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { nudge } from '../../src/server/requirements/nudge.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { setWatching } from '../../src/server/requirements/watch.ts';
import { startSmtp, startStallingServer, type TestSmtp } from '../fixtures/smtp.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let zhang: Viewer; // reads Chinese
let bob: Viewer; // reads English
let smtp: TestSmtp;
let loop: { stop(): Promise<void> } | undefined;
const logs: string[] = [];

async function waitFor<T>(what: string, fn: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v && !(Array.isArray(v) && v.length === 0)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mailTo = (address: string) => smtp.received.filter((m) => m.to.includes(address));
const mailRows = () => db().select().from(outbox).where(eq(outbox.kind, 'mail')).all();
const startLoop = (timeoutMs = 2000) => { loop = startMailDelivery({ timeoutMs, pollMs: 50, maxBackoffMs: 400, log: (m) => logs.push(m) }); };
const stopLoop = async () => { await loop?.stop(); loop = undefined; };

let projects = 0;
/** A project owned (so submissions are routed to) `owner`, readable by both people. */
function project(owner: Viewer): string {
  const key = `M${++projects}`;
  createProject(admin, { key, name: `Mail ${projects}`, owner: owner.email, visibility: 'restricted' });
  setGrants(admin, key.toLowerCase(), [{ user: zhang.email, role: 'admin' }, { user: bob.email, role: 'editor' }]);
  return key;
}

beforeAll(async () => {
  ({ admin } = await freshEnvironment('mail'));
  const zid = await createUser({ email: 'zhang.min@example.com', name: '张敏', password: 'a long enough password' });
  const bid = await createUser({ email: 'bob@example.com', name: 'Bob', password: 'a long enough password' });
  db().update(users).set({ locale: 'zh-CN' }).where(eq(users.id, zid)).run();
  db().update(users).set({ locale: 'en' }).where(eq(users.id, bid)).run();
  zhang = { id: zid, email: 'zhang.min@example.com', name: '张敏', admin: false, locale: 'zh-CN' };
  bob = { id: bid, email: 'bob@example.com', name: 'Bob', admin: false, locale: 'en' };
  smtp = await startSmtp();
  process.env.PUBLIC_URL = 'https://dossier.example.com';
  process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
  process.env.DOSSIER_MAIL_FROM = 'Dossier <dossier@example.com>';
  startLoop();
});

afterAll(async () => {
  await stopLoop();
  await smtp?.close();
  delete process.env.DOSSIER_SMTP_URL;
});

describe('e-mail at once', () => {
  it('tells the assignee in their language, with a link back and a clean From', async () => {
    const p = project(zhang);
    const { key } = await submitRequirement(bob, p, { title: '发票抬头可编辑', category: 'feature' });
    const [mail] = await waitFor('the mail to 张敏', () => mailTo(zhang.email));
    expect(mail!.from).toBe('dossier@example.com');
    expect(mail!.subject).toBe(`${key} 发票抬头可编辑 · 指派`);
    expect(mail!.text).toContain('Bob 提交了它，由你负责');
    expect(mail!.text).toContain(`https://dossier.example.com/p/${p}/${key}`);
    expect(mail!.html).toContain(`href="https://dossier.example.com/p/${p}/${key}"`);
    expect(mail!.text).toContain('https://dossier.example.com/account#notifications');
    expect(mail!.headers).toContainEqual(['content-language', 'zh-CN']);
    expect(mail!.headers).toContainEqual(['auto-submitted', 'auto-generated']);
    await waitFor('the outbox row done', () => mailRows().length === 0);

    const q = project(bob);
    const second = await submitRequirement(zhang, q, { title: 'Invoice titles', category: 'feature' });
    const [en] = await waitFor('the mail to Bob', () => mailTo(bob.email));
    expect(en!.subject).toBe(`${second.key} Invoice titles · Assigned`);
    expect(en!.text).toContain('张敏 submitted it; you are responsible');
    expect(en!.headers).toContainEqual(['content-language', 'en']);
  });

  it('sends nothing for a kind set to inbox only, and follows a change of mind made before sending', async () => {
    const p = project(bob);
    setPrefs(bob, { assigned: 'inbox' });
    const before = mailTo(bob.email).length;
    await submitRequirement(zhang, p, { title: 'Quiet please', category: 'feature' });
    expect(mailRows()).toHaveLength(0); // nothing queued at all
    // Queued while wanted by e-mail, then switched off before the loop sent it: not sent.
    setPrefs(bob, { assigned: 'email', nudged: 'email' });
    await stopLoop();
    const { key } = await submitRequirement(zhang, p, { title: 'Changed my mind', category: 'feature' });
    expect(mailRows()).toHaveLength(1);
    setPrefs(bob, { assigned: 'digest' });
    startLoop();
    await waitFor('the row dropped', () => mailRows().length === 0);
    nudge(zhang, key, { comment: 'please look' });
    const nudged = await waitFor('the nudge mail', () => mailTo(bob.email).slice(before));
    expect(nudged).toHaveLength(1);
    expect(nudged[0]!.subject).toBe(`${key} Changed my mind · Nudge`);
    expect(nudged[0]!.text).toContain('张敏 nudged you about it: “please look”');
    setPrefs(bob, { assigned: 'email' });
  });

  it('checks access when sending, not when queuing', async () => {
    const p = project(zhang);
    await stopLoop();
    await submitRequirement(bob, p, { title: 'Secret plans', category: 'feature' });
    expect(mailRows()).toHaveLength(1);
    const before = mailTo(zhang.email).length;
    // Zhang loses every grant (the project's owner keeps no access without one).
    setGrants(admin, p.toLowerCase(), [{ user: bob.email, role: 'admin' }]);
    startLoop();
    await waitFor('the row dropped', () => mailRows().length === 0);
    await sleep(200);
    expect(mailTo(zhang.email).slice(before).map((m) => m.subject)).not.toContainEqual(expect.stringContaining('Secret plans'));
  });
});

describe('preferences', () => {
  it('answers every kind with defaults, saves known kinds and refuses anything else with 400 and nothing changed', () => {
    const fresh = getPrefs(admin);
    expect(fresh).toMatchObject({ assigned: 'email', mentioned: 'email', nudged: 'email', commented: 'inbox', 'due-soon': 'inbox', 'page-changed': 'inbox' });
    expect(setPrefs(admin, { commented: 'digest', mentioned: 'inbox' })).toMatchObject({ commented: 'digest', mentioned: 'inbox', assigned: 'email' });
    for (const bad of [{ nonsense: 'email' }, { assigned: 'sms' }, { assigned: 1 }, JSON.parse('{"__proto__": "email"}'), { constructor: 'email' }, [], null, 'email']) {
      expect(() => setPrefs(admin, bad)).toThrow(expect.objectContaining({ status: 400 }));
    }
    expect(() => setPrefs(admin, { assigned: 'inbox', bogus: 'email' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(getPrefs(admin).assigned).toBe('email'); // the valid half of a refused change was not saved
    expect(() => getPrefs(null)).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('the SMTP server down, refusing or stalling', () => {
  it('a save does not wait while SMTP is down, and the mail goes out once it is back', async () => {
    const port = smtp.port;
    await smtp.close();
    const p = project(zhang);
    const started = performance.now();
    const { key } = await submitRequirement(bob, p, { title: 'While the mail server is down', category: 'feature' });
    expect(performance.now() - started).toBeLessThan(1000);
    const [row] = await waitFor('a failed attempt', () => mailRows().filter((r) => r.attempts >= 2));
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const received = smtp.received;
    smtp = await startSmtp(port);
    smtp.received.push(...received);
    const mail = await waitFor('the mail after SMTP is back', () => mailTo(zhang.email).find((m) => m.subject.includes(key)), 10_000);
    expect(mail.subject).toBe(`${key} While the mail server is down · 指派`);
    await waitFor('the outbox row done', () => mailRows().length === 0);
  });

  it('retries a temporary refusal (451) and sends once', async () => {
    const p = project(zhang);
    smtp.refuseNext(2);
    const { key } = await submitRequirement(bob, p, { title: 'Greylisted', category: 'feature' });
    await waitFor('the mail after two refusals', () => mailTo(zhang.email).find((m) => m.subject.includes(key)), 10_000);
    await waitFor('the outbox row done', () => mailRows().length === 0);
    expect(mailTo(zhang.email).filter((m) => m.subject.includes(key))).toHaveLength(1);
  });

  it('a server that never answers times out, the loop stops promptly, and the mail goes out through a working server later', async () => {
    await stopLoop();
    const stalling = await startStallingServer();
    process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${stalling.port}`;
    startLoop(300);
    const p = project(zhang);
    const started = performance.now();
    const { key } = await submitRequirement(bob, p, { title: 'Stalled', category: 'feature' });
    expect(performance.now() - started).toBeLessThan(1000);
    const [row] = await waitFor('a timed-out attempt', () => mailRows().filter((r) => r.attempts >= 1));
    expect(row!.lastError).toMatch(/timeout|timed out|greeting/i);
    expect(stalling.connections()).toBeGreaterThanOrEqual(1);
    const stopping = performance.now();
    await stopLoop();
    expect(performance.now() - stopping).toBeLessThan(3000);
    await stalling.close();
    process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
    startLoop();
    await waitFor('the mail through the working server', () => mailTo(zhang.email).find((m) => m.subject.includes(key)), 10_000);
  });
});

describe('hostile addresses and names', () => {
  it('an address or name with CRLF never becomes a header', async () => {
    const evil = 'victim@example.com\r\nBcc: evil@example.com';
    const id = await createUser({ email: 'victim@example.com', name: 'Victim', password: 'a long enough password' });
    const p = project({ id, email: 'victim@example.com', name: 'Victim', admin: false, locale: null });
    setGrants(admin, p.toLowerCase(), [{ user: 'victim@example.com', role: 'editor' }, { user: bob.email, role: 'editor' }]);
    // As if written by an older version or another door: the mail layer must hold on its own.
    db().update(users).set({ email: evil, name: 'Eve\r\nBcc: evil2@example.com' }).where(eq(users.id, id)).run();
    await submitRequirement(bob, p, { title: 'Subject\r\nBcc: evil3@example.com', category: 'feature' }).catch(() => undefined);
    const { key } = await submitRequirement(bob, p, { title: 'Plain title', category: 'feature' });
    await waitFor('the row dropped', () => mailRows().length === 0);
    expect(logs.some((l) => l.includes('not one plain e-mail address'))).toBe(true);
    expect(smtp.received.some((m) => m.subject.includes(key))).toBe(false);

    // A clean address with a hostile display name: one To header, the name on one line, no Bcc.
    db().update(users).set({ email: 'victim@example.com' }).where(eq(users.id, id)).run();
    const second = await submitRequirement(bob, p, { title: 'Second try', category: 'feature' });
    const mail = await waitFor('the mail to the victim', () => smtp.received.find((m) => m.subject.includes(second.key)));
    expect(mail.to).toEqual(['victim@example.com']);
    expect(mail.headers.filter(([n]) => n === 'bcc')).toHaveLength(0);
    expect(mail.headers.filter(([n]) => n === 'to')).toHaveLength(1);
    expect(smtp.received.some((m) => m.to.some((a) => a.startsWith('evil')))).toBe(false);
  });

  it('refuses unsafe addresses and a From that is not one address', () => {
    for (const bad of ['a@b.c\r\nBcc: x@y.z', 'a@b.c\nX: y', 'a b@c.d', '<a@b.c>', 'a@b.c, d@e.f', 'a@@b.c', '"a"@b.c', 'a@b..c', `${'a'.repeat(65)}@b.c`]) expect(isSafeAddress(bad)).toBe(false);
    for (const good of ['a@b.c', 'li.lei+tag@example.com', '张敏@例子.公司']) expect(isSafeAddress(good)).toBe(true);
    expect(parseFrom('Dossier <dossier@example.com>')).toEqual({ name: 'Dossier', address: 'dossier@example.com' });
    expect(() => parseFrom('Dossier <d@example.com>\r\nBcc: evil@example.com')).toThrow();
    expect(() => parseFrom('a@example.com, b@example.com')).toThrow();
  });
});

describe('the daily digest', () => {
  it('sends once a day the items of digest kinds, only those the person may still read when it is sent', async () => {
    process.env.DOSSIER_DIGEST_HOUR = '0';
    setPrefs(bob, { commented: 'digest' });
    const open = project(zhang);
    const closed = project(zhang);
    const a = await submitRequirement(zhang, open, { title: 'Kept in the digest', category: 'feature' });
    const b = await submitRequirement(zhang, closed, { title: 'Hidden from the digest', category: 'feature' });
    // Bob watches both (a commenter is not told of his own comment; zhang comments).
    setWatching(bob, a.key, true);
    setWatching(bob, b.key, true);
    commentOn(zhang, a.key, { comment: 'first remark' });
    commentOn(zhang, b.key, { comment: 'second remark' });
    expect(mailRows()).toHaveLength(0); // digest kinds are not mailed at once
    await stopLoop();
    expect(queueDigests()).toBe(1);
    expect(queueDigests()).toBe(0); // once a day
    setGrants(admin, closed.toLowerCase(), [{ user: zhang.email, role: 'admin' }]); // Bob loses the second project
    const before = mailTo(bob.email).length;
    startLoop();
    const [digest] = await waitFor('the digest', () => mailTo(bob.email).slice(before).filter((m) => m.subject.startsWith('Dossier:')));
    expect(digest!.subject).toBe('Dossier: 1 updates since your last digest');
    expect(digest!.text).toContain(`${a.key} Kept in the digest`);
    expect(digest!.text).toContain('张敏 commented: “first remark”');
    expect(digest!.text).toContain(`https://dossier.example.com/p/${open}/${a.key}`);
    expect(digest!.raw).not.toContain('Hidden from the digest');
    expect(digest!.raw).not.toContain('second remark');
  });
});

it('a request that names no kinds changes nothing; an unauthenticated one is refused', async () => {
  expect(setPrefs(zhang, {})).toEqual(getPrefs(zhang));
  expect((await failure(() => setPrefs(null, {}))).status).toBe(401);
});
