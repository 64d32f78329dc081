// A render worker of RenderPool.
import { parentPort } from 'node:worker_threads';
import { db } from '../db.ts';
import { renderPage } from '../pages/render-page.ts';

parentPort!.on('message', ({ id, spaceKey, markdown }: { id: number; spaceKey: string; markdown: string }) => {
  try {
    parentPort!.postMessage({ id, rendered: renderPage(db(), spaceKey, markdown) });
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
