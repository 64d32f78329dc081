// The mail loop: an outbox consumer for 'mail' (one notification, subject = its id) and
// 'mail-digest' (subject = "<user>:<after>:<until>"). What a message says is decided when it is
// sent, for who the recipient is then: an item they may no longer read, a person made inactive or
// a kind they no longer want by e-mail sends nothing. An SMTP server that is down, refuses for now
// (4xx) or stalls (no answer within the timeout) gets the row back with an exponential backoff;
// a permanent refusal (5xx) or an unsafe address drops it, logged. Saves never wait for any of it.
import { and, eq, gt, inArray, lte } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { notifications } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { mailFrom, smtpUrl } from '../config.ts';
import { prepared } from '../db.ts';
import { notificationItems } from '../notify/inbox.ts';
import { claimOutbox, completeOutbox, holdLeases, onOutboxWake, releaseOutbox, type Claimed } from '../outbox.ts';
import { isSafeAddress, parseFrom } from './address.ts';
import { composeDigest, composeItem, type Composed } from './compose.ts';
import { deliveryFor, digestKinds } from './prefs.ts';

export interface MailOptions {
  /** Messages sent at once. */
  concurrency?: number;
  /** Connecting, the server's greeting, and each later wait for the server. */
  timeoutMs?: number;
  /** Attempts before a message is given up (logged). */
  maxAttempts?: number;
  /** The longest wait between attempts (they start at 0.5 s and double). */
  maxBackoffMs?: number;
  /** How often due retries are looked for when nothing wakes the loop. */
  pollMs?: number;
  log?: (msg: string) => void;
}

const DEFAULTS = { concurrency: 4, timeoutMs: 30_000, maxAttempts: 16, maxBackoffMs: 3600_000, pollMs: 2000 };
const KINDS = ['mail', 'mail-digest'] as const;
// Longer than a send can take with its timeouts; a crashed owner's leases lapse with its heartbeat (outbox.ts).
const LEASE_MS = 10 * 60_000;
/** The most items one digest lists. */
export const DIGEST_MAX = 200;

interface UserRow { id: number; email: string; name: string; admin: number; active: number; locale: string | null }
const userRow = prepared((d) => d.$client.prepare<[number], UserRow>('select id, email, name, admin, active, locale from users where id = ?'));
const notificationRow = prepared((d) => d.$client.prepare<[number], { userId: number; kind: string }>('select user_id as userId, kind from notifications where id = ?'));

function activeViewer(id: number): Viewer | null {
  const u = userRow().get(id);
  return u?.active ? { id: u.id, email: u.email, name: u.name, admin: u.admin === 1, locale: u.locale } : null;
}

type Prepared = { mail: Composed } | { skip: string | null };

/** What row asks to send now, or why nothing (null: nothing to tell, not worth a log line). */
export function prepareMail(row: Pick<Claimed, 'kind' | 'subject'>): Prepared {
  let user: Viewer | null;
  let mail: Composed | null = null;
  if (row.kind === 'mail') {
    const id = Number(row.subject);
    const n = notificationRow().get(id);
    user = n ? activeViewer(n.userId) : null;
    if (!n || !user || deliveryFor(user.id, n.kind) !== 'email') return { skip: null };
    const [item] = notificationItems(user, eq(notifications.id, id), 1);
    if (item && !item.hidden) mail = composeItem(user, item);
  } else {
    const [userId, after, until] = row.subject.split(':').map(Number) as [number, number, number];
    user = activeViewer(userId);
    const kinds = user ? digestKinds(user.id) : [];
    if (!user || !kinds.length) return { skip: null };
    const items = notificationItems(user, and(inArray(notifications.kind, kinds), gt(notifications.createdAt, after), lte(notifications.createdAt, until)), DIGEST_MAX)
      .filter((i) => !i.hidden);
    if (items.length) mail = composeDigest(user, items);
  }
  if (!mail) return { skip: null };
  if (!isSafeAddress(mail.to.address)) return { skip: `not sent to ${JSON.stringify(mail.to.address.slice(0, 80))}: not one plain e-mail address` };
  return { mail };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message || err.name : String(err)).replace(/\s+/g, ' ').slice(0, 300);

/** A refusal that trying again will not change: 5xx from the server, except for signing in (a setting to fix). */
function permanent(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string };
  return typeof e.responseCode === 'number' && e.responseCode >= 500 && e.code !== 'EAUTH';
}

/** The mail settings, checked: null without DOSSIER_SMTP_URL; throws on a URL that is not smtp(s):// or a From that is not one address. */
export function mailSettings(): { url: string; from: { name: string; address: string } } | null {
  const url = smtpUrl();
  if (!url) return null;
  let protocol = '';
  try { protocol = new URL(url).protocol; } catch { /* reported below */ }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') throw new Error('DOSSIER_SMTP_URL must look like smtp://user:pass@host:587 or smtps://host:465');
  return { url, from: parseFrom(mailFrom()) };
}

/** Starts the loop when DOSSIER_SMTP_URL is set (else does nothing); throws at once on bad settings (mailSettings). */
export function startMailDelivery(options: MailOptions = {}): { stop(): Promise<void> } {
  const settings = mailSettings();
  if (!settings) return { stop: async () => {} };
  const { url, from } = settings;
  const opts = { ...DEFAULTS, log: console.error, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & { log: (m: string) => void };
  const transport = nodemailer.createTransport({ url, connectionTimeout: opts.timeoutMs, greetingTimeout: opts.timeoutMs, socketTimeout: opts.timeoutMs, dnsTimeout: opts.timeoutMs });
  const release = holdLeases(opts.log);
  let stopped = false;
  let wake: (() => void) | undefined;
  const unsubscribe = onOutboxWake(() => wake?.());
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });

  async function handle(row: Claimed): Promise<void> {
    try {
      const next = prepareMail(row);
      if ('skip' in next) {
        if (next.skip) opts.log(`mail ${row.kind} ${row.subject}: ${next.skip}`);
        completeOutbox([row.id]);
        return;
      }
      const { mail } = next;
      await transport.sendMail({
        from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html,
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': mail.lang },
      });
      completeOutbox([row.id]);
    } catch (err) {
      const attempts = row.attempts + 1;
      if (permanent(err) || attempts >= opts.maxAttempts) {
        opts.log(`mail ${row.kind} ${row.subject} given up after ${attempts} attempt(s): ${errorText(err)}`);
        completeOutbox([row.id]);
      } else {
        releaseOutbox([row], errorText(err), opts.maxBackoffMs);
      }
    }
  }

  const loop = (async () => {
    while (!stopped) {
      let rows: Claimed[] = [];
      try {
        rows = claimOutbox([...KINDS], opts.concurrency, LEASE_MS);
        await Promise.all(rows.map(handle));
      } catch (err) {
        opts.log(`mail loop: ${errorText(err)}`);
      }
      if (!stopped && rows.length === 0) await sleep(opts.pollMs);
    }
  })();

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
      transport.close();
      release();
    },
  };
}
