// Outbox rows are written inside the same transaction as the change they describe;
// consumers (the search indexer, webhook delivery) lease them after commit and retry until they succeed.
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema.ts';
import { db, prepared, uncounted, type Db } from './db.ts';

export type OutboxKind = 'index-page' | 'index-requirement' | 'webhook' | 'mail' | 'mail-digest';

const insertRow = prepared((d) => d.insert(outbox).values({ kind: sql.placeholder('kind'), subject: sql.placeholder('subject') }).prepare());

/** In the transaction `tx` of the change (tx is the one handle, so the statement prepared on it runs inside). */
export function enqueue(_tx: Db, kind: OutboxKind, subject: string | number): void {
  insertRow().run({ kind, subject: String(subject) });
}

export interface Claimed { id: number; kind: OutboxKind; subject: string; attempts: number }

/**
 * Lease bookkeeping (claims, heartbeats, give-backs, the delivery log) is written without waiting
 * for the disk: content writes keep synchronous=FULL, but losing the last lease update on a power
 * cut only means some work is done again, which indexing and receivers (X-Dossier-Delivery) allow.
 * This keeps busy consumer loops from adding disk syncs between requests' own writes.
 */
export function bookkeeping<T>(fn: () => T): T {
  const client = db().$client;
  const mode = client.pragma('synchronous', { simple: true }) as number;
  client.pragma('synchronous = NORMAL');
  try {
    // No remembered read (db-cache.ts) reads what bookkeeping writes: the heartbeat every second keeps them.
    return uncounted(() => client.transaction(fn).immediate());
  } finally {
    client.pragma(`synchronous = ${mode}`);
  }
}

// Leases belong to a process: this one's id, random so that a restarted process is never taken
// for the one that died. It beats every second while its consumers run; a lease whose owner has
// been silent for OWNER_STALE_MS is void, so a crash delays leased work by seconds, not by the
// lease. A live owner's leases are never taken (several processes may share the database).
const OWNER = randomUUID();
const BEAT_MS = 1000;
export const OWNER_STALE_MS = 5000;

let lastBeat: { handle: Db; at: number } | undefined;

const beatRow = prepared((d) => d.$client.prepare(`insert into outbox_owners (id, pid, heartbeat_at) values (?, ?, ?)
  on conflict (id) do update set heartbeat_at = excluded.heartbeat_at`));

function beat(now = Date.now()): void {
  beatRow().run(OWNER, process.pid, now);
  lastBeat = { handle: db(), at: now };
}

/**
 * SQL (row alias `o`) for "due, and not leased by a live owner", with its parameters. Claiming
 * beats first (inside the caller's transaction) so this process's own fresh leases count as live.
 */
export function claimable(leaseMs: number): { where: string; params: { now: number; until: number; alive: number; owner: string } } {
  const now = Date.now();
  if (lastBeat?.handle !== db() || now - lastBeat.at > BEAT_MS / 2) beat(now);
  return {
    where: 'o.run_after <= @now and (o.lease_until <= @now or o.lease_owner not in (select id from outbox_owners where heartbeat_at > @alive))',
    params: { now, until: now + leaseMs, alive: now - OWNER_STALE_MS, owner: OWNER },
  };
}

let holders = 0;
let beating: NodeJS.Timeout | undefined;

/**
 * Keeps this process's leases alive while a consumer loop runs; the last one to release stops the
 * heartbeat and deletes the owner row, so anything it still held is free at once.
 */
export function holdLeases(log: (msg: string) => void): () => void {
  if (holders++ === 0) {
    beating = setInterval(() => {
      try { bookkeeping(() => beat()); } catch (err) { log(`outbox heartbeat failed: ${err instanceof Error ? err.message : String(err)}`); }
    }, BEAT_MS);
    beating.unref();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders > 0) return;
    clearInterval(beating);
    db().$client.prepare('delete from outbox_owners where id = ? or heartbeat_at < ?').run(OWNER, Date.now() - 3600_000);
    lastBeat = undefined;
  };
}

/** Leases up to `limit` due rows of these kinds to this process (see `claimable`). */
export function claimOutbox(kinds: OutboxKind[], limit: number, leaseMs: number): Claimed[] {
  return bookkeeping(() => {
    const { where, params } = claimable(leaseMs);
    return db().$client.prepare<[typeof params & { kinds: string; limit: number }], Claimed>(
      `update outbox set lease_until = @until, lease_owner = @owner where id in (
         select o.id from outbox o where o.kind in (select value from json_each(@kinds)) and ${where} order by o.id limit @limit)
       returning id, kind, subject, attempts`,
    ).all({ ...params, kinds: JSON.stringify(kinds), limit });
  });
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
