// Shared by the mail tests: a fresh database, two people (one reads Chinese, one English), a real
// SMTP server (smtp-server on 127.0.0.1) and the mail loop with short timeouts and backoffs.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import { outbox, users } from '../../db/schema.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { db } from '../../src/server/db.ts';
import { startMailDelivery } from '../../src/server/mail/send.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { startSmtp, type TestSmtp } from '../fixtures/smtp.ts';
import { freshEnvironment, waitFor } from './setup-env.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface MailEnv {
  admin: Viewer; zhang: Viewer; bob: Viewer;
  /** The running SMTP server (a test may replace it). */
  smtp: TestSmtp;
  logs: string[];
  mailTo(address: string): TestSmtp['received'];
  mailRows(): (typeof outbox.$inferSelect)[];
  startLoop(timeoutMs?: number): void;
  stopLoop(): Promise<void>;
  /** A project owned (so submissions are routed to) `owner`, readable by zhang and bob. */
  project(owner: Viewer): string;
}

/** Registers the set-up and tear-down of a mail test file; the fields are filled in beforeAll. */
export function mailEnvironment(name: string): MailEnv {
  let loop: { stop(): Promise<void> } | undefined;
  let projects = 0;
  const env = {
    logs: [] as string[],
    mailTo: (address: string) => env.smtp.received.filter((m) => m.to.includes(address)),
    mailRows: () => db().select().from(outbox).where(eq(outbox.kind, 'mail')).all(),
    startLoop: (timeoutMs = 2000) => { loop = startMailDelivery({ timeoutMs, pollMs: 50, maxBackoffMs: 400, log: (m) => env.logs.push(m) }); },
    stopLoop: async () => { await loop?.stop(); loop = undefined; },
    project: (owner: Viewer) => {
      const key = `${name.slice(0, 1).toUpperCase()}${++projects}`;
      createProject(env.admin, { key, name: `Mail ${projects}`, owner: owner.email, visibility: 'restricted' });
      setGrants(env.admin, key.toLowerCase(), [{ user: env.zhang.email, role: 'admin' }, { user: env.bob.email, role: 'editor' }]);
      return key;
    },
  } as MailEnv;
  beforeAll(async () => {
    ({ admin: env.admin } = await freshEnvironment(name));
    const zid = await createUser({ email: 'zhang.min@example.com', name: '张敏', password: 'a long enough password' });
    const bid = await createUser({ email: 'bob@example.com', name: 'Bob', password: 'a long enough password' });
    db().update(users).set({ locale: 'zh-CN' }).where(eq(users.id, zid)).run();
    db().update(users).set({ locale: 'en' }).where(eq(users.id, bid)).run();
    env.zhang = { id: zid, email: 'zhang.min@example.com', name: '张敏', admin: false, locale: 'zh-CN' };
    env.bob = { id: bid, email: 'bob@example.com', name: 'Bob', admin: false, locale: 'en' };
    env.smtp = await startSmtp();
    process.env.PUBLIC_URL = 'https://dossier.example.com';
    process.env.DOSSIER_SMTP_URL = `smtp://127.0.0.1:${env.smtp.port}`;
    process.env.DOSSIER_MAIL_FROM = 'Dossier <dossier@example.com>';
    env.startLoop();
  });
  afterAll(async () => {
    await env.stopLoop();
    await env.smtp?.close();
    delete process.env.DOSSIER_SMTP_URL;
  });
  return env;
}
