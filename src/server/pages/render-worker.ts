// A worker of RenderPool: renders one page at a time, resolving [[links]] through its own
// connection to the database. It says when it is ready (loading takes a while) and how big its
// heap is after each page, so the pool can start the time limit fairly and recycle it when large.
// It opens SQLite directly: drizzle and the schema would double its load time and memory.
import Database from 'better-sqlite3';
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { dbFile } from '../config.ts';
import { renderPage } from './render-page.ts';

const sqlite = new Database(dbFile(), { fileMustExist: true });
sqlite.pragma('busy_timeout = 10000');
const heapMb = () => getHeapStatistics().used_heap_size / 2 ** 20;

parentPort!.on('message', ({ spaceKey, markdown }: { spaceKey: string; markdown: string }) => {
  try {
    parentPort!.postMessage({ rendered: renderPage({ $client: sqlite }, spaceKey, markdown), heapMb: heapMb() });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err), heapMb: heapMb() });
  }
});
parentPort!.postMessage({ ready: true });
