// Counts the transactions committed to a SQLite database in WAL mode since its WAL was last
// truncated: the frames of the current WAL generation (matching the header's salts) whose
// "database size after commit" field is set. A change that took one transaction adds one.
import fs from 'node:fs';
import type Database from 'better-sqlite3';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** Empties the WAL, so that countWalCommits() counts from here on. */
export function truncateWal(sqlite: Database.Database): void {
  const [result] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (result!.busy) throw new Error('the WAL could not be truncated: another connection is reading or writing');
}

export function countWalCommits(dbFile: string): number {
  const wal = fs.existsSync(`${dbFile}-wal`) ? fs.readFileSync(`${dbFile}-wal`) : Buffer.alloc(0);
  if (wal.length < WAL_HEADER) return 0;
  const pageSize = wal.readUInt32BE(8);
  const salts = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salts[0] || wal.readUInt32BE(at + 12) !== salts[1]) break; // a frame of an older generation
    if (wal.readUInt32BE(at + 4) !== 0) commits++;
  }
  return commits;
}
