// Renders Markdown on worker threads: imports use every core, and a pathological page (some
// inputs take micromark tens of seconds) never blocks the server. Each render has a time budget
// and each worker a heap cap: a worker over either is terminated and replaced, and the page is
// kept as escaped source text instead. A worker whose heap grew large is replaced after its job, or
// once it has stayed idle a while with a large heap committed: V8 hands a stopped worker's heap back
// to the system some seconds later, a live one keeps it.
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { renderAsText } from '../markdown/fallback.ts';
import type { Rendered } from '../markdown/render.ts';

/** For imports, where throughput matters more than any one page. */
export const RENDER_TIME_LIMIT_MS = 10_000;
/** For saves someone is waiting on (pages and requirement descriptions). */
export const INTERACTIVE_TIME_LIMIT_MS = 3_000;
/** A worker's V8 heap cap: the corpus's largest page (393 kB) peaks far below it. */
const WORKER_HEAP_MB = 256;
/** After a job that left more than this in the worker's heap, the worker is replaced (a fresh one holds ~25 MB). */
const RECYCLE_HEAP_MB = 128;
/**
 * A worker idle this long with more than RECYCLE_HEAP_MB committed is replaced. What a job leaves
 * in use is usually far less than what its peak committed, and an idle worker never gives that back
 * (bench:hostile: one held 173 MB for good). Busy workers are left alone: during an import they
 * commit ~160 MB each and replacing them then made the import 70 % slower.
 */
const IDLE_RECYCLE = { heapMb: RECYCLE_HEAP_MB, afterMs: 5_000 };
/**
 * A worker on one job for longer than this looks stuck on a hard page: a save waiting then gets an
 * extra worker. Normal pages render in a few milliseconds (the corpus's largest in ~150 ms); an extra
 * worker started whenever all were busy came and went about once a second under five writers,
 * each start costing a core ~0.5–2 s and the server's memory (bench:mixed).
 */
const LOOKS_STUCK_MS = 300;

/** `owner`: the id of the user who waits for it (see `perOwner`). */
interface Job { spaceKey: string; markdown: string; preview: boolean; owner: number | undefined; resolve(r: Rendered): void; reject(e: Error): void }
/** `timer`: the running job's time limit, or while idle the heap check (`checkWhenIdle`). */
interface Slot { worker: Worker; ready: boolean; job: Job | null; since: number; timer?: NodeJS.Timeout }
interface Reply { ready?: true; rendered?: Rendered; error?: string; heapMb?: number }

export interface PoolOptions {
  timeLimitMs?: number;
  /** Extra workers may be started up to this many while all are busy; they retire when idle. */
  maxSize?: number;
  /**
   * Renders of one owner running at once; the owner's others wait for those while anyone else's
   * go ahead, so one user's hard pages (many at once, or a whole import) hold up only their own.
   */
  perOwner?: number;
  /** When an idle worker's committed heap is checked, and the line it is replaced over. */
  idleRecycle?: { heapMb: number; afterMs: number };
}

// The built server is bundled, so it finds the worker through the project root set by `npm start`.
function workerUrl(): URL {
  const root = process.env.DOSSIER_ROOT;
  return root ? pathToFileURL(path.join(root, 'src/server/pages/render-worker.ts')) : new URL('./render-worker.ts', import.meta.url);
}

/** What a page shows when it could not be rendered in time or memory; its links and mentions still count. */
function asText(job: Job): Rendered {
  return renderAsText(job.markdown, { space: job.spaceKey });
}

export class RenderPool {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private closed = false;
  private recheck: NodeJS.Timeout | undefined;
  private readonly size: number;
  private readonly maxSize: number;
  private readonly timeLimitMs: number;
  private readonly perOwner: number;
  private readonly idleRecycle: { heapMb: number; afterMs: number };

  constructor(size = os.availableParallelism(), opts: PoolOptions = {}) {
    this.size = size;
    this.maxSize = Math.max(size, opts.maxSize ?? size);
    this.timeLimitMs = opts.timeLimitMs ?? RENDER_TIME_LIMIT_MS;
    this.perOwner = opts.perOwner ?? Infinity;
    this.idleRecycle = opts.idleRecycle ?? IDLE_RECYCLE;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /**
   * A `preview` (the editor's, src/server/editor/preview.ts) waits behind every save: typing never
   * delays a save. `owner`: who waits for it (the viewer's id; leave it out only in a pool of one's own).
   */
  render(spaceKey: string, markdown: string, opts: { owner?: number; preview?: boolean } = {}): Promise<Rendered> {
    return new Promise((resolve, reject) => {
      const job = { spaceKey, markdown, preview: opts.preview === true, owner: opts.owner, resolve, reject };
      const firstPreview = job.preview ? -1 : this.queue.findIndex((j) => j.preview);
      this.queue.splice(firstPreview < 0 ? this.queue.length : firstPreview, 0, job);
      this.dispatch();
    });
  }

  /** Workers running now (resident and extra), and how many of those are loaded and free. */
  stats(): { workers: number; idle: number } {
    return { workers: this.slots.length, idle: this.slots.filter((s) => s.ready && !s.job).length };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.recheck);
    for (const s of this.slots) clearTimeout(s.timer);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const slot: Slot = {
      worker: new Worker(workerUrl(), { env: process.env, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }),
      ready: false, job: null, since: 0,
    };
    slot.worker.on('message', (msg: Reply) => this.onReply(slot, msg));
    slot.worker.on('error', (err: Error & { code?: string }) => {
      // Out of heap is the page's fault, like running out of time; anything else is a bug.
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.replace(slot, (job) => (outOfMemory ? job.resolve(asText(job)) : job.reject(err)));
    });
    return slot;
  }

  private onReply(slot: Slot, msg: Reply): void {
    if (msg.ready) {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = null;
    if (!job) return;
    if (msg.error !== undefined) job.reject(new Error(msg.error));
    else job.resolve(msg.rendered!);
    if ((msg.heapMb ?? 0) > RECYCLE_HEAP_MB) this.replace(slot, () => {});
    else if (!this.retire(slot)) {
      this.dispatch();
      if (!slot.job) this.checkWhenIdle(slot);
    }
  }

  /** After `idleRecycle.afterMs` still idle, the worker is replaced if its committed heap is over the line. */
  private checkWhenIdle(slot: Slot): void {
    slot.timer = setTimeout(async () => {
      const heap = await slot.worker.getHeapStatistics().catch(() => null); // null: it stopped meanwhile
      const idle = !slot.job && this.slots.includes(slot) && !this.closed;
      if (heap && idle && heap.total_heap_size > this.idleRecycle.heapMb * 2 ** 20) this.replace(slot, () => {});
    }, this.idleRecycle.afterMs).unref();
  }

  /**
   * An idle extra worker stops, unless it is the only idle one (kept warm for the next job) or a
   * queued job may start on it (not one waiting for its owner's running render).
   */
  private retire(slot: Slot): boolean {
    if (this.slots.length <= this.size || this.queue.some(this.mayStart())) return false;
    if (!this.slots.some((s) => s !== slot && s.ready && !s.job)) return false;
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.worker.terminate();
    return true;
  }

  private replace(slot: Slot, settle: (job: Job) => void): void {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = null;
    void slot.worker.terminate();
    const at = this.slots.indexOf(slot);
    if (at >= 0 && !this.closed) this.slots[at] = this.spawn();
    if (job) settle(job);
    this.dispatch();
  }

  /** Whether each queued job may start now: its owner has fewer than `perOwner` running. */
  private mayStart(): (job: Job) => boolean {
    const running = new Map<number | undefined, number>();
    for (const s of this.slots) if (s.job) running.set(s.job.owner, (running.get(s.job.owner) ?? 0) + 1);
    return (job) => (running.get(job.owner) ?? 0) < this.perOwner;
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      if (!slot.ready || slot.job) continue;
      const at = this.queue.findIndex(this.mayStart());
      if (at < 0) break;
      const job = this.queue.splice(at, 1)[0]!;
      slot.job = job;
      slot.since = performance.now();
      clearTimeout(slot.timer);
      slot.timer = setTimeout(() => this.replace(slot, (j) => j.resolve(asText(j))), this.timeLimitMs);
      slot.worker.postMessage({ spaceKey: job.spaceKey, markdown: job.markdown, preview: job.preview });
    }
    // No worker left free and one stuck on a hard page: start another, so the next save does not
    // queue behind it. Previews alone never start one: on a busy machine, more workers than cores
    // only slow every render.
    const free = this.slots.filter((s) => !s.job).length;
    // A save whose owner has all their renders running waits for those, not for another worker.
    const mayStart = this.mayStart();
    const savesWait = this.queue.some((j) => !j.preview && mayStart(j));
    if (free > 0 || !savesWait || this.slots.length >= this.maxSize) return;
    const longest = Math.max(...this.slots.map((s) => performance.now() - s.since));
    if (longest >= LOOKS_STUCK_MS) this.slots.push(this.spawn());
    else if (!this.recheck) {
      this.recheck = setTimeout(() => { this.recheck = undefined; this.dispatch(); }, LOOKS_STUCK_MS - longest + 1);
    }
  }
}

let shared: RenderPool | undefined;

/**
 * The server's pool for interactive saves: two warm workers, so one save stuck on a hard page
 * leaves the other free, and up to four while all are busy. One render per user at a time: a
 * user's hard pages, however many at once, keep one worker busy, never both.
 */
export function renderPool(): RenderPool {
  return (shared ??= new RenderPool(2, { timeLimitMs: INTERACTIVE_TIME_LIMIT_MS, maxSize: 4, perOwner: 1 }));
}
