// Renders Markdown on worker threads: imports use every core, and a pathological page (some
// inputs take micromark tens of seconds) never blocks the server. A render over the time limit
// kills its worker and the page is shown as escaped source text instead.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderAsText } from '../markdown/fallback.ts';
import type { Rendered } from '../markdown/render.ts';

export const RENDER_TIME_LIMIT_MS = 10_000;

interface Job { spaceKey: string; markdown: string; resolve(r: Rendered): void; reject(e: Error): void }
interface Slot { worker: Worker; job: Job | null; timer?: NodeJS.Timeout }

// The built server is bundled, so it finds the worker through the project root set by `npm start`.
function workerUrl(): URL {
  const root = process.env.DOSSIER_ROOT;
  return root ? pathToFileURL(path.join(root, 'src/server/pages/render-worker.ts')) : new URL('./render-worker.ts', import.meta.url);
}

export class RenderPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private closed = false;
  private readonly timeLimitMs: number;

  constructor(size = os.availableParallelism(), timeLimitMs = RENDER_TIME_LIMIT_MS) {
    this.timeLimitMs = timeLimitMs;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  render(spaceKey: string, markdown: string): Promise<Rendered> {
    return new Promise((resolve, reject) => {
      this.queue.push({ spaceKey, markdown, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(workerUrl(), { env: process.env }), job: null };
    slot.worker.on('message', (msg: { rendered?: Rendered; error?: string }) => {
      const job = this.finish(slot);
      if (!job) return;
      if (msg.error !== undefined) job.reject(new Error(msg.error));
      else job.resolve(msg.rendered!);
    });
    slot.worker.on('error', (err) => this.replace(slot, (job) => job.reject(err)));
    return slot;
  }

  private finish(slot: Slot): Job | null {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = null;
    this.dispatch();
    return job;
  }

  private replace(slot: Slot, settle: (job: Job) => void): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    void slot.worker.terminate();
    if (this.closed) return;
    this.slots[this.slots.indexOf(slot)] = this.spawn();
    if (job) settle(job);
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.replace(slot, (j) => j.resolve(renderAsText(j.markdown, { space: j.spaceKey }))), this.timeLimitMs);
      slot.worker.postMessage({ spaceKey: job.spaceKey, markdown: job.markdown });
    }
  }
}

let shared: RenderPool | undefined;

/** The server's pool for interactive saves: started on first use, one worker. */
export function renderPool(): RenderPool {
  return (shared ??= new RenderPool(1));
}
