// The attachment files on disk, content-addressed: <data>/files/ab/cdef… named by the SHA-256 of
// their bytes, so the same bytes uploaded twice are stored once. A file arrives in files/tmp while
// it is hashed, is fsynced, then renamed into place and its folder fsynced: only then may a row
// name it (the row's commit comes after, so a committed row never names a file a crash can lose).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { dataDir } from '../config.ts';

export const filesDir = () => path.join(dataDir(), 'files');
const tmpDir = () => path.join(filesDir(), 'tmp');

/** Where the bytes with this SHA-256 are (or would be) kept. */
export function blobPath(sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a SHA-256: ${sha256}`);
  return path.join(filesDir(), sha256.slice(0, 2), sha256.slice(2));
}

export interface Received { tmp: string; sha256: string; size: number; head: Buffer }

const HEAD_BYTES = 4100; // what file-type needs to tell a type from the bytes

/**
 * Streams `source` to a new temporary file while hashing it: memory stays flat whatever the size.
 * `head` is the file's first bytes, for type detection. The caller stores or discards `tmp`.
 */
export async function receive(source: Readable): Promise<Received> {
  fs.mkdirSync(tmpDir(), { recursive: true });
  const tmp = path.join(tmpDir(), `${Date.now()}-${crypto.randomUUID()}`);
  const hash = crypto.createHash('sha256');
  let size = 0;
  const heads: Buffer[] = [];
  let headSize = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (headSize < HEAD_BYTES) { heads.push(chunk); headSize += chunk.length; }
      done(null, chunk);
    },
  });
  const out = fs.createWriteStream(tmp, { flags: 'wx' });
  try {
    await pipeline(source, tap, out);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return { tmp, sha256: hash.digest('hex'), size, head: Buffer.concat(heads).subarray(0, HEAD_BYTES) };
}

/** Makes a file or folder durable, on libuv's threads: several uploads' fsyncs overlap instead of blocking the event loop in turn. */
export async function fsyncPath(p: string): Promise<void> {
  const handle = await fs.promises.open(p, 'r');
  try { await handle.sync(); } finally { await handle.close(); }
}

/** Moves a received file to its content address, durably; drops it if those bytes are already stored. */
export async function place(received: Received): Promise<string> {
  const target = blobPath(received.sha256);
  if (fs.existsSync(target)) {
    fs.rmSync(received.tmp, { force: true });
    const now = new Date();
    fs.utimesSync(target, now, now); // fresh again: `npm run gc` spares files touched lately (gc.ts)
    return target;
  }
  await fsyncPath(received.tmp);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(received.tmp, target);
  await fsyncPath(path.dirname(target));
  await fsyncPath(filesDir()); // the shard folder itself may be new
  return target;
}

export function discard(received: Received): void {
  fs.rmSync(received.tmp, { force: true });
}
