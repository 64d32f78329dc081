// A worker of RenderPool: renders one page at a time, resolving [[links]] through its own
// read-only use of the database.
import { parentPort } from 'node:worker_threads';
import { db } from '../db.ts';
import { renderPage } from './render-page.ts';

parentPort!.on('message', ({ spaceKey, markdown }: { spaceKey: string; markdown: string }) => {
  try {
    parentPort!.postMessage({ rendered: renderPage(db(), spaceKey, markdown) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
