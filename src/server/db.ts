// The one database handle and its pragmas.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.ts';
import { dataDir, dbFile } from './config.ts';
import { tagKey } from './desk/tags.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

let handle: Db | undefined;

// How many writing statements each connection has run (counted in JS, as they return). The read
// cache (db-cache.ts) compares it at every remembered read; asking SQLite for total_changes()
// there instead was a statement per read, ~6% of a page view.
const writes = new WeakMap<Database.Database, { n: number }>();

/** This connection's write count: it changes after every statement that may have changed rows. */
export function writeCount(d: Db): number {
  return writes.get(d.$client)!.n;
}

// Off while bookkeeping runs (see uncounted).
let counting = true;

/**
 * Runs `fn` with its writes left out of the count: only for writes that no remembered read can
 * depend on (outbox leases, heartbeats and the webhook delivery log: bookkeeping in outbox.ts), which
 * would otherwise drop every read cache each second while the consumers poll.
 */
export function uncounted<T>(fn: () => T): T {
  counting = false;
  try {
    return fn();
  } finally {
    counting = true;
  }
}

/** Wraps a connection's prepare and exec so that every statement that is not read-only counts. */
function countWrites(sqlite: Database.Database): void {
  const counter = { n: 0 };
  writes.set(sqlite, counter);
  const prepare = sqlite.prepare;
  const exec = sqlite.exec;
  sqlite.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
    const stmt = prepare.apply(this, args);
    if (!stmt.readonly) {
      for (const method of ['run', 'get', 'all', 'iterate'] as const) {
        const run = stmt[method] as (...a: unknown[]) => unknown;
        (stmt as unknown as Record<string, unknown>)[method] = function (this: unknown, ...a: unknown[]) {
          try { return run.apply(this, a); } finally { if (counting) counter.n++; }
        };
      }
    }
    return stmt;
  } as typeof prepare;
  sqlite.exec = function (this: Database.Database, source: string) {
    try { return exec.call(this, source); } finally { if (counting) counter.n++; }
  };
}

export function openDatabase(file: string): Db {
  const sqlite = new Database(file);
  countWrites(sqlite);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a write is on disk before we acknowledge it (NORMAL can lose the last commits on power loss).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  addFunctions(sqlite);
  return drizzle({ client: sqlite, schema }) as Db;
}

/** A read-only connection to the same WAL database, for readers on other threads (the dashboard worker). */
export function openReadOnly(file: string): Db {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 10000');
  addFunctions(sqlite);
  return drizzle({ client: sqlite, schema }) as Db;
}

/** SQL functions every connection has. */
function addFunctions(sqlite: Database.Database): void {
  // Tags match regardless of case and width, in SQL too (src/server/desk/tags.ts).
  sqlite.function('tag_key', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? tagKey(v) : null));
}

export function db(): Db {
  if (!handle) {
    fs.mkdirSync(dataDir(), { recursive: true });
    handle = openDatabase(dbFile());
  }
  return handle;
}

export function closeDb(): void {
  handle?.$client.close();
  handle = undefined;
}

/** Runs fn in a BEGIN IMMEDIATE transaction: synchronous, no awaits inside. */
export function write<T>(fn: (tx: Db) => T): T {
  const d = db();
  return d.$client.transaction(() => fn(d)).immediate();
}

/** A query prepared once per database handle: hot paths skip rebuilding and re-preparing SQL. */
export function prepared<T>(build: (d: Db) => T): () => T {
  let cached: { handle: Db; stmt: T } | undefined;
  return () => {
    const d = db();
    if (cached?.handle !== d) cached = { handle: d, stmt: build(d) };
    return cached.stmt;
  };
}
