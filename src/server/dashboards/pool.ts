// One worker thread that computes dashboards (worker.ts), started when a dashboard is asked for
// and stopped after a while without one (no resident thread and SQLite cache for a server nobody
// looks at dashboards on). Dashboards wait in a queue and run one at a time: two cores serve page
// views on one and dashboards on the other. Each has a time budget; a worker over it is stopped,
// its dashboard answered 503 (so is one that runs out of heap), and the next one starts a fresh worker.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { dbFile } from '../config.ts';
import { DomainError } from '../errors.ts';
import type { Dashboard, FiguresInput } from './metrics.ts';

export const DASHBOARD_TIME_LIMIT_MS = 20_000;
const IDLE_MS = 30_000;
const WORKER_HEAP_MB = 256;

export interface Figures { fingerprint: string; value: Dashboard }
interface Job { input: FiguresInput; resolve(f: Figures): void; reject(e: Error): void }
interface Reply { figures?: Figures; error?: string }

const tooBig = (what: string) => new DomainError(503, `This dashboard took ${what} to compute; choose a shorter period or fewer projects`);

// The built server is bundled, so it finds the worker through the project root set by `npm start`.
function workerUrl(): URL {
  const root = process.env.DOSSIER_ROOT;
  return root ? pathToFileURL(path.join(root, 'src/server/dashboards/worker.ts')) : new URL('./worker.ts', import.meta.url);
}

export class DashboardPool {
  private worker: Worker | null = null;
  private job: Job | null = null;
  private queue: Job[] = [];
  private timer?: NodeJS.Timeout;
  private idle?: NodeJS.Timeout;

  private readonly timeLimitMs: number;
  private readonly idleMs: number;

  constructor(opts: { timeLimitMs?: number; idleMs?: number } = {}) {
    this.timeLimitMs = opts.timeLimitMs ?? DASHBOARD_TIME_LIMIT_MS;
    this.idleMs = opts.idleMs ?? IDLE_MS;
  }

  compute(input: FiguresInput): Promise<Figures> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Whether a worker is running now (for tests and the memory report). */
  running(): boolean {
    return this.worker !== null;
  }

  async close(): Promise<void> {
    clearTimeout(this.idle);
    await this.stop();
  }

  private start(): Worker {
    const worker = new Worker(workerUrl(), { env: process.env, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    // A worker stopped for its time budget may still have a reply on the way: it is no one's.
    worker.on('message', (msg: Reply) => {
      if (this.worker === worker) this.settle(msg.error === undefined ? (job) => job.resolve(msg.figures!) : (job) => job.reject(new Error(msg.error)));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      void this.stop();
      // Out of heap is the dashboard's size, like running out of time; anything else is a bug.
      this.settle((job) => job.reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooBig('too much memory') : err));
    });
    return worker;
  }

  private settle(answer: (job: Job) => void): void {
    const job = this.job;
    clearTimeout(this.timer);
    this.job = null;
    if (job) answer(job);
    this.dispatch();
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private dispatch(): void {
    clearTimeout(this.idle);
    if (this.job) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref(); // an idle worker never keeps the process alive
      this.idle = setTimeout(() => void this.stop(), this.idleMs).unref();
      return;
    }
    this.job = job;
    this.worker ??= this.start();
    this.worker.ref();
    this.timer = setTimeout(() => {
      void this.stop();
      this.settle((j) => j.reject(tooBig('too long')));
    }, this.timeLimitMs);
    this.worker.postMessage({ file: dbFile(), input: job.input });
  }
}

let shared: DashboardPool | undefined;

export function dashboardPool(): DashboardPool {
  return (shared ??= new DashboardPool());
}
