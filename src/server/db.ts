// The one database handle and its pragmas.
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.ts';
import { dataDir, dbFile } from './config.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

let handle: Db | undefined;

export function openDatabase(file: string): Db {
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a write is on disk before we acknowledge it (NORMAL can lose the last commits on power loss).
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  return drizzle({ client: sqlite, schema }) as Db;
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
