// Mail's hostile cases against a real SMTP server: an SMTP server that is down, refuses for now or
// never answers (a save never waits, nothing is lost, the mail goes out later), and addresses,
// names and titles with CR/LF that must not become headers.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../db/schema.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { isSafeAddress, parseFrom } from '../../src/server/mail/address.ts';
import { mailSettings } from '../../src/server/mail/send.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { startSmtp, startStallingServer } from '../fixtures/smtp.ts';
import { mailEnvironment } from './mail-env.ts';
import { failure, waitFor } from './setup-env.ts';

const env = mailEnvironment('hostile-mail');
const { mailTo, mailRows, startLoop, stopLoop, project, logs } = env;

describe('the SMTP server down, refusing or stalling', () => {
  it('a save does not wait while SMTP is down, and the mail goes out once it is back', async () => {
    const port = env.smtp.port;
    await env.smtp.close();
    const p = project(env.zhang);
    const started = performance.now();
    const { key } = await submitRequirement(env.bob, p, { title: 'While the mail server is down', category: 'feature' });
    expect(performance.now() - started).toBeLessThan(1000);
    const [row] = await waitFor('a failed attempt', () => mailRows().filter((r) => r.attempts >= 2));
    expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    const received = env.smtp.received;
    env.smtp = await startSmtp(port);
    env.smtp.received.push(...received);
    const mail = await waitFor('the mail after SMTP is back', () => mailTo(env.zhang.email).find((m) => m.subject.includes(key)), 10_000);
    expect(mail.subject).toBe(`${key} While the mail server is down · 指派`);
    await waitFor('the outbox row done', () => mailRows().length === 0);
  });

  it('retries a temporary refusal (451) and sends once', async () => {
    const p = project(env.zhang);
    env.smtp.refuseNext(2);
    const { key } = await submitRequirement(env.bob, p, { title: 'Greylisted', category: 'feature' });
    await waitFor('the mail after two refusals', () => mailTo(env.zhang.email).find((m) => m.subject.includes(key)), 10_000);
    await waitFor('the outbox row done', () => mailRows().length === 0);
    expect(mailTo(env.zhang.email).filter((m) => m.subject.includes(key))).toHaveLength(1);
  });

  it('a server that never answers times out, the loop stops promptly, and the mail goes out through a working server later', async () => {
    await stopLoop();
    const stalling = await startStallingServer();
    process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${stalling.port}`;
    startLoop(300);
    const p = project(env.zhang);
    const started = performance.now();
    const { key } = await submitRequirement(env.bob, p, { title: 'Stalled', category: 'feature' });
    expect(performance.now() - started).toBeLessThan(1000);
    const [row] = await waitFor('a timed-out attempt', () => mailRows().filter((r) => r.attempts >= 1));
    expect(row!.lastError).toMatch(/timeout|timed out|greeting/i);
    expect(stalling.connections()).toBeGreaterThanOrEqual(1);
    const stopping = performance.now();
    await stopLoop();
    expect(performance.now() - stopping).toBeLessThan(3000);
    await stalling.close();
    process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${env.smtp.port}`;
    startLoop();
    await waitFor('the mail through the working server', () => mailTo(env.zhang.email).find((m) => m.subject.includes(key)), 10_000);
  });
});

describe('hostile addresses and names', () => {
  it('an address or name with CRLF never becomes a header', async () => {
    const evil = 'victim@example.com\r\nBcc: evil@example.com';
    const id = await createUser({ email: 'victim@example.com', name: 'Victim', password: 'a long enough password' });
    const p = project({ id, email: 'victim@example.com', name: 'Victim', admin: false, locale: null });
    setGrants(env.admin, p.toLowerCase(), [{ user: 'victim@example.com', role: 'editor' }, { user: env.bob.email, role: 'editor' }]);
    // As if written by an older version or another door: the mail layer must hold on its own.
    db().update(users).set({ email: evil, name: 'Eve\r\nBcc: evil2@example.com' }).where(eq(users.id, id)).run();
    // CR/LF in a title is refused where it is written.
    expect((await failure(() => submitRequirement(env.bob, p, { title: 'Subject\r\nBcc: evil3@example.com', category: 'feature' }))).status).toBe(400);
    const { key } = await submitRequirement(env.bob, p, { title: 'Plain title', category: 'feature' });
    await waitFor('the row dropped', () => mailRows().length === 0);
    expect(logs.some((l) => l.includes('not one plain e-mail address'))).toBe(true);
    expect(env.smtp.received.some((m) => m.subject.includes(key))).toBe(false);

    // A clean address with a hostile display name: one To header, the name on one line, no Bcc.
    db().update(users).set({ email: 'victim@example.com' }).where(eq(users.id, id)).run();
    const second = await submitRequirement(env.bob, p, { title: 'Second try', category: 'feature' });
    const mail = await waitFor('the mail to the victim', () => env.smtp.received.find((m) => m.subject.includes(second.key)));
    expect(mail.to).toEqual(['victim@example.com']);
    expect(mail.headers.filter(([n]) => n === 'bcc')).toHaveLength(0);
    expect(mail.headers.filter(([n]) => n === 'to')).toHaveLength(1);
    expect(env.smtp.received.some((m) => m.to.some((a) => a.startsWith('evil')))).toBe(false);

    // Unicode line separators are no control characters to a title, and no line break in a subject.
    const third = await submitRequirement(env.bob, p, { title: 'Third\u2028Bcc: evil4@example.com\u2029X-Evil: 1', category: 'feature' });
    const line = await waitFor('the mail with separators', () => env.smtp.received.find((m) => m.subject.includes(third.key)));
    expect(line.subject).toBe(`${third.key} Third Bcc: evil4@example.com X-Evil: 1 · Assigned`);
    expect(line.headers.map(([n]) => n)).not.toContain('x-evil');
    expect(line.headers.filter(([n]) => n === 'bcc')).toHaveLength(0);
    expect(line.to).toEqual(['victim@example.com']);
  });

  it('refuses unsafe addresses and a From that is not one address', () => {
    for (const bad of ['a@b.c\r\nBcc: x@y.z', 'a@b.c\nX: y', 'a b@c.d', '<a@b.c>', 'a@b.c, d@e.f', 'a@@b.c', '"a"@b.c', 'a@b..c', `${'a'.repeat(65)}@b.c`]) expect(isSafeAddress(bad)).toBe(false);
    for (const good of ['a@b.c', 'li.lei+tag@example.com', '张敏@例子.公司']) expect(isSafeAddress(good)).toBe(true);
    expect(parseFrom('Dossier <dossier@example.com>')).toEqual({ name: 'Dossier', address: 'dossier@example.com' });
    expect(() => parseFrom('Dossier <d@example.com>\r\nBcc: evil@example.com')).toThrow();
    expect(() => parseFrom('a@example.com, b@example.com')).toThrow();
    const saved = { url: process.env.DOSSIER_SMTP_URL, from: process.env.DOSSIER_MAIL_FROM };
    try {
      for (const url of ['http://mail.example.com', 'not a url', 'smtp://host:25\r\nX: y'.replace('\r\n', ' ')]) {
        process.env.DOSSIER_SMTP_URL = url;
        expect(() => mailSettings(), url).toThrow(/DOSSIER_SMTP_URL/);
      }
      process.env.DOSSIER_SMTP_URL = saved.url;
      process.env.DOSSIER_MAIL_FROM = 'Dossier <d@example.com>\r\nBcc: evil@example.com';
      expect(() => mailSettings()).toThrow(/DOSSIER_MAIL_FROM/);
    } finally {
      process.env.DOSSIER_SMTP_URL = saved.url;
      process.env.DOSSIER_MAIL_FROM = saved.from;
    }
  });
});

