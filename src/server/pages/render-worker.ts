// A worker of RenderPool: renders one page at a time.
import { parentPort } from 'node:worker_threads';
import { renderPage } from './render-page.ts';

parentPort!.on('message', ({ spaceKey, markdown }: { spaceKey: string; markdown: string }) => {
  try {
    parentPort!.postMessage({ rendered: renderPage(spaceKey, markdown) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
