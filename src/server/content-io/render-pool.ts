// Renders Markdown on worker threads so imports use every core. Each worker opens its own
// read-only view of the database to resolve [[wiki links]].
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Rendered } from '../markdown/render.ts';

interface Job { resolve(r: Rendered): void; reject(e: Error): void }

export class RenderPool {
  private workers: Worker[] = [];
  private jobs = new Map<number, Job>();
  private next = 0;

  constructor(size = os.availableParallelism()) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./render-worker.ts', import.meta.url), { env: process.env });
      worker.on('message', ({ id, rendered, error }: { id: number; rendered?: Rendered; error?: string }) => {
        const job = this.jobs.get(id)!;
        this.jobs.delete(id);
        if (error !== undefined) job.reject(new Error(error));
        else job.resolve(rendered!);
      });
      worker.on('error', (err) => { for (const job of this.jobs.values()) job.reject(err); this.jobs.clear(); });
      this.workers.push(worker);
    }
  }

  render(spaceKey: string, markdown: string): Promise<Rendered> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.jobs.set(id, { resolve, reject });
      this.workers[id % this.workers.length]!.postMessage({ id, spaceKey, markdown });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
