// A worker of RenderPool: renders one page at a time. Rendering needs nothing from the database
// (stored HTML is the same for every reader). It says when it is ready (loading takes a while) and
// how big its heap is after each page, so the pool can start the time limit fairly and recycle it
// when large.
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { renderPage } from './render-page.ts';

const heapMb = () => getHeapStatistics().used_heap_size / 2 ** 20;

parentPort!.on('message', ({ spaceKey, markdown, preview }: { spaceKey: string; markdown: string; preview: boolean }) => {
  try {
    parentPort!.postMessage({ rendered: renderPage(spaceKey, markdown, preview), heapMb: heapMb() });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err), heapMb: heapMb() });
  }
});
parentPort!.postMessage({ ready: true });
