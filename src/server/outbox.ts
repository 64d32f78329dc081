// Outbox rows are written inside the same transaction as the change they describe;
// consumers (the search indexer) work them off after commit and retry until they succeed.
import { eq, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { db, prepared, type Db } from './db.ts';

export type OutboxKind = 'index-page' | 'index-requirement' | 'webhook';

const insertRow = prepared((d) => d.insert(outbox).values({ kind: sql.placeholder('kind'), subject: sql.placeholder('subject') }).prepare());

/** In the transaction `tx` of the change (tx is the one handle, so the statement prepared on it runs inside). */
export function enqueue(_tx: Db, kind: OutboxKind, subject: string | number): void {
  insertRow().run({ kind, subject: String(subject) });
}

export interface Claimed { id: number; kind: OutboxKind; subject: string; attempts: number }

/** Leases up to `limit` due rows of these kinds; a consumer that dies lets the lease run out and another retries. */
export function claimOutbox(kinds: OutboxKind[], limit: number, leaseMs: number): Claimed[] {
  const now = Date.now();
  return db().$client.prepare<unknown[], Claimed>(
    `update outbox set lease_until = ? where id in (
       select id from outbox where kind in (${kinds.map(() => '?').join(',')}) and run_after <= ? and lease_until <= ? order by id limit ?)
     returning id, kind, subject, attempts`,
  ).all(now + leaseMs, ...kinds, now, now, limit);
}

export function completeOutbox(ids: number[]): void {
  if (ids.length) db().delete(outbox).where(inArray(outbox.id, ids)).run();
}

/** Gives rows back after a failure, to be retried after an exponential backoff (capped at `maxBackoffMs`). */
export function releaseOutbox(rows: Claimed[], error: unknown, maxBackoffMs = 60_000): void {
  const message = error instanceof Error ? error.message : String(error);
  const d = db();
  d.$client.transaction(() => {
    for (const r of rows) {
      const backoff = Math.min(maxBackoffMs, 500 * 2 ** Math.min(r.attempts, 16));
      d.update(outbox).set({ attempts: r.attempts + 1, lastError: message.slice(0, 500), runAfter: Date.now() + backoff, leaseUntil: 0 })
        .where(eq(outbox.id, r.id)).run();
    }
  })();
}

// Both the built server bundle and the start script load this module, so the wake-up
// listeners live on a process-wide symbol rather than in module state.
const listenersKey = Symbol.for('dossier.outbox.listeners');
type Listeners = Set<() => void>;
function listeners(): Listeners {
  const g = globalThis as unknown as Record<symbol, Listeners | undefined>;
  return (g[listenersKey] ??= new Set());
}

/** Wakes the consumers after a commit so changes reach search without waiting for the next poll. */
export function wakeOutbox(): void {
  for (const fn of listeners()) fn();
}

export function onOutboxWake(fn: () => void): () => void {
  listeners().add(fn);
  return () => listeners().delete(fn);
}
