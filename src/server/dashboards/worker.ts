// The dashboard worker (src/server/dashboards/pool.ts): computes one dashboard's figures at a
// time on its own read-only connection to the server's WAL database, so their queries (hundreds of
// milliseconds over a large project) never hold up the main thread. It decides nothing about
// access: the viewer's selection of requirements arrives as SQL built on the main thread.
import { parentPort } from 'node:worker_threads';
import { openReadOnly, type Db } from '../db.ts';
import { computeFigures, type FiguresInput } from './metrics.ts';

// Opened at the first dashboard, kept while the worker lives (the main thread names the file each
// time: a test may move the server to a fresh data folder).
let open: { file: string; d: Db } | undefined;
function connection(file: string): Db {
  if (open?.file !== file) {
    open?.d.$client.close();
    open = { file, d: openReadOnly(file) };
  }
  return open.d;
}

parentPort!.on('message', ({ file, input }: { file: string; input: FiguresInput }) => {
  try {
    parentPort!.postMessage({ figures: computeFigures(connection(file), input) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
