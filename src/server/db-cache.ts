// Reads remembered while the database stays exactly as it was. At every remembered read we take
// a stamp of the database's state: this connection's count of writing statements (db.ts), and,
// once per turn of the event loop, PRAGMA data_version, which changes whenever any other
// connection or process commits. When the stamp differs from the last one, everything remembered
// is dropped. A remembered value is always at least as new as its stamp (the stamp is taken before
// the read), so it is returned only while no commit can have changed it: this connection's at
// once, another's from the next turn of the event loop (the next request), never by a timer.
// Inside a transaction nothing is remembered or returned: it may see changes that are rolled back.
//
// Worth it because on a page view each SQLite statement costs tens of microseconds (WAL locks,
// cold caches), more than everything else the view does with the rows; the stamp is a counter
// and one tiny read per turn of the event loop (once per synchronous run cost 5 % of a page view's
// CPU under load: Astro renders a page in many small async steps).
import type { Statement } from 'better-sqlite3';
import { db, writeCount, type Db } from './db.ts';

interface Tracker {
  handle: Db;
  dataVersion: Statement<[], number>;
  version: number;
  writes: number;
  checkedThisTurn: boolean;
}

let tracker: Tracker | undefined;
const caches = new Set<Map<unknown, unknown>>();

export interface ReadCacheLimits<V> {
  /** At most this many entries (then it starts afresh). */
  entries?: number;
  /** With `weigh` (say, characters of HTML): at most this much in all; heavier single values are not kept. */
  weight?: number;
  weigh?: (value: V) => number;
}

/** A cache of reads, dropped whenever the database changes. Values are shared: never change them. */
export function readCache<K, V>({ entries: maxEntries = 10_000, weight: maxWeight = Infinity, weigh }: ReadCacheLimits<V> = {}): { get(key: K, load: () => V): V } {
  const entries = new Map<K, V>();
  let weight = 0;
  caches.add(entries as Map<unknown, unknown>);
  return {
    get(key, load) {
      if (!unchanged()) return load();
      if (entries.size === 0) weight = 0; // dropped since
      if (entries.has(key)) return entries.get(key)!;
      const value = load();
      const w = weigh?.(value) ?? 0;
      if (w > maxWeight) return value;
      if (entries.size >= maxEntries || weight + w > maxWeight) {
        entries.clear();
        weight = 0;
      }
      entries.set(key, value);
      weight += w;
      return value;
    },
  };
}

/**
 * True when remembered reads are still exact (after dropping them all if the database changed);
 * false inside a transaction. This connection's own writes are counted at every call; other
 * connections' commits once per turn of the event loop: reads made in one turn then see the
 * database as of one moment, as in a single read transaction.
 */
function unchanged(): boolean {
  const handle = db();
  if (handle.$client.inTransaction) return false;
  if (tracker?.handle !== handle) {
    for (const c of caches) c.clear();
    tracker = {
      handle,
      dataVersion: handle.$client.prepare<[], number>('pragma data_version').pluck(),
      version: -1, writes: -1, checkedThisTurn: false,
    };
  }
  const t = tracker;
  const writes = writeCount(handle);
  if (writes !== t.writes) {
    for (const c of caches) c.clear();
    t.writes = writes;
  }
  if (!t.checkedThisTurn) {
    const version = t.dataVersion.get()!;
    if (version !== t.version) {
      for (const c of caches) c.clear();
      t.version = version;
    }
    t.checkedThisTurn = true;
    setImmediate(() => { t.checkedThisTurn = false; });
  }
  return true;
}
