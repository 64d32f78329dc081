// The daily digest: once a day, at DOSSIER_DIGEST_HOUR (server time), each person who gets any
// kind by digest gets one e-mail with their items of those kinds since their previous digest.
// This job only fixes the window (mail_digests.until) and queues an outbox row in one
// transaction; what the e-mail lists, and whether the person may still read each item, is decided
// when it is sent (send.ts), so access revoked in between keeps an item out.
import { digestHour, smtpUrl } from '../config.ts';
import { write } from '../db.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;

/** The start of the local day of `ms`. */
const dayStart = (ms: number) => { const d = new Date(ms); d.setHours(0, 0, 0, 0); return d.getTime(); };

/** Queues the digests due at `now`; returns how many it queued. */
export function queueDigests(now = Date.now()): number {
  if (!smtpUrl() || new Date(now).getHours() < digestHour()) return 0;
  const today = dayStart(now);
  const queued = write((tx) => {
    const people = tx.$client.prepare<[], { id: number; until: number | null }>(
      `select u.id, d.until from users u left join mail_digests d on d.user_id = u.id
       where u.active = 1 and exists (select 1 from notification_prefs p where p.user_id = u.id and p.delivery = 'digest')`,
    ).all();
    const pending = tx.$client.prepare<[number, number, number], number>(
      `select count(*) from notifications n where n.user_id = ? and n.created_at > ? and n.created_at <= ?
       and n.kind in (select kind from notification_prefs where user_id = n.user_id and delivery = 'digest')`,
    ).pluck();
    const mark = tx.$client.prepare<[number, number]>('insert into mail_digests (user_id, until) values (?, ?) on conflict (user_id) do update set until = excluded.until');
    let n = 0;
    for (const p of people) {
      // Already sent today (a later run, or another process sharing the database).
      if (p.until !== null && p.until >= today) continue;
      const after = p.until ?? now - DAY;
      mark.run(p.id, now);
      if (pending.get(p.id, after, now)! === 0) continue;
      enqueue(tx, 'mail-digest', `${p.id}:${after}:${now}`);
      n++;
    }
    return n;
  });
  if (queued) wakeOutbox();
  return queued;
}

/** Checks every quarter of an hour until stopped (no-op without DOSSIER_SMTP_URL). */
export function startDigests(log: (msg: string) => void = console.error, everyMs = HOUR / 4): { stop(): void } {
  const run = () => {
    try { queueDigests(); } catch (err) { log(`daily digests failed, will retry: ${err instanceof Error ? err.message : String(err)}`); }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
