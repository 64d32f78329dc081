// Outbox rows are written inside the same transaction as the change they describe;
// consumers (the search indexer) work them off after commit and retry until they succeed.
import { outbox } from '../../db/schema.ts';
import type { Db } from './db.ts';

export type OutboxKind = 'index-page' | 'index-requirement' | 'webhook';

export function enqueue(tx: Db, kind: OutboxKind, subject: string | number): void {
  tx.insert(outbox).values({ kind, subject: String(subject) }).run();
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
