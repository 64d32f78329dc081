// Works off the outbox into Meilisearch: claims due rows, sends their documents, waits until
// Meilisearch has applied them, then deletes the rows. Failures back off and retry forever,
// so a page saved while Meilisearch is down becomes searchable once it is back.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { outbox, pages, spaces } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { onOutboxWake } from '../outbox.ts';
import { searchIndex } from './client.ts';
import { pageDocuments, type SearchDoc } from './documents.ts';

const LEASE_MS = 120_000;
const BATCH = 1000;

type Claimed = { id: number; subject: string; attempts: number };

function claim(limit: number): Claimed[] {
  const now = Date.now();
  return db().$client.prepare<[number, number, number, number], Claimed>(
    `update outbox set lease_until = ? where id in (
       select id from outbox where kind = 'index-page' and run_after <= ? and lease_until <= ? order by id limit ?)
     returning id, subject, attempts`,
  ).all(now + LEASE_MS, now, now, limit);
}

function release(rows: Claimed[], error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const d = db();
  d.$client.transaction(() => {
    for (const r of rows) {
      const backoff = Math.min(60_000, 500 * 2 ** Math.min(r.attempts, 7));
      d.update(outbox).set({ attempts: r.attempts + 1, lastError: message.slice(0, 500), runAfter: Date.now() + backoff, leaseUntil: 0 })
        .where(eq(outbox.id, r.id)).run();
    }
  })();
}

function documentsFor(pageIds: number[]): { docs: SearchDoc[]; counts: Map<number, number> } {
  const rows = pageIds.length === 0 ? [] : db().select({ page: pages, space: spaces }).from(pages)
    .innerJoin(spaces, eq(spaces.id, pages.spaceId)).where(inArray(pages.id, pageIds)).all();
  const docs: SearchDoc[] = [];
  const counts = new Map<number, number>(pageIds.map((id) => [id, 0]));
  for (const { page, space } of rows) {
    if (page.deletedAt !== null) continue;
    const pageDocs = pageDocuments(page, space);
    counts.set(page.id, pageDocs.length);
    docs.push(...pageDocs);
  }
  return { docs, counts };
}

/** Indexes one batch of due outbox rows. Returns how many rows it completed. */
export async function indexBatch(limit = BATCH): Promise<number> {
  const index = searchIndex();
  if (!index) return 0;
  const rows = claim(limit);
  if (rows.length === 0) return 0;
  try {
    const pageIds = [...new Set(rows.map((r) => Number(r.subject)))];
    // Enqueue every chunk first and wait once: Meilisearch batches queued tasks together.
    const tasks = [];
    for (let i = 0; i < pageIds.length; i += 200) {
      const { docs, counts } = documentsFor(pageIds.slice(i, i + 200));
      if (docs.length) tasks.push(index.addDocuments(docs));
      // Documents a page no longer has: all of a deleted page's, or sections past its new count.
      const stale = [...counts].map(([id, n]) => `(docKey = "page-${id}" AND section >= ${n})`).join(' OR ');
      tasks.push(index.deleteDocuments({ filter: stale }));
    }
    const done = await Promise.all(tasks.map((t) => t.waitTask({ timeout: 300_000 })));
    const failed = done.find((t) => t.status === 'failed');
    if (failed) throw new Error(failed.error?.message ?? 'indexing failed');
    db().delete(outbox).where(inArray(outbox.id, rows.map((r) => r.id))).run();
    return rows.length;
  } catch (err) {
    release(rows, err);
    throw err;
  }
}

/** Indexes until nothing is due. */
export async function drainOutbox(): Promise<number> {
  let total = 0;
  for (let n = await indexBatch(); n > 0; n = await indexBatch()) total += n;
  return total;
}

export function pendingOutbox(): number {
  return db().select({ n: sql<number>`count(*)` }).from(outbox).where(and(eq(outbox.kind, 'index-page'))).get()!.n;
}

/** The indexing loop of a running server: wakes on commits, polls otherwise, backs off on errors. */
export function startIndexer(log: (msg: string) => void = console.error): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const unsubscribe = onOutboxWake(() => wake?.());
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  let lastError = '';
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await indexBatch();
        lastError = '';
        if (n === 0) await sleep(1000);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        if (message !== lastError) log(`search indexing failed, will retry: ${message}`);
        lastError = message;
        await sleep(2000);
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
    },
  };
}
