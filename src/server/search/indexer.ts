// Works off the outbox into Meilisearch: claims due rows, sends their documents, and deletes the
// rows once Meilisearch has applied them. Failures back off and retry forever,
// so a page saved while Meilisearch is down becomes searchable once it is back.
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import type { EnqueuedTaskPromise, Task } from 'meilisearch';
import { attachments, outbox, pages, projects, requirements, spaces } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { bookkeeping, claimOutbox, completeOutbox, holdLeases, onOutboxWake, releaseOutbox, wakeOutbox } from '../outbox.ts';
import { searchIndex } from './client.ts';
import { attachmentDocument, pageDocuments, requirementDocument, type SearchDoc } from './documents.ts';

// How long a live process may hold a row; a dead process's leases lapse with its heartbeat (outbox.ts).
const LEASE_MS = 120_000;
const BATCH = 1000;
const MAX_IN_FLIGHT = 4;

const INDEX_KINDS = ['index-page', 'index-requirement'] as const;

export function requirementDocs(ids: number[]): SearchDoc[] {
  if (ids.length === 0) return [];
  return db().select({ req: requirements, project: projects, space: spaces }).from(requirements)
    .innerJoin(projects, eq(projects.id, requirements.projectId)).innerJoin(spaces, eq(spaces.id, projects.spaceId))
    .where(inArray(requirements.id, ids)).all().map(({ req, project, space }) => requirementDocument(req, project, space));
}

/** These pages' documents (sections, then attachments), and filters for the documents they no longer have. */
export function documentsFor(pageIds: number[]): { docs: SearchDoc[]; stale: string[] } {
  const rows = pageIds.length === 0 ? [] : db().select({ page: pages, space: spaces }).from(pages)
    .innerJoin(spaces, eq(spaces.id, pages.spaceId)).where(inArray(pages.id, pageIds)).all();
  // Deleted attachments too: a page that had any may have an attachment document to drop.
  const files = Map.groupBy(pageIds.length === 0 ? [] : db().select({ pageId: attachments.pageId, name: attachments.name, text: attachments.text, deletedAt: attachments.deletedAt })
    .from(attachments).where(inArray(attachments.pageId, pageIds)).all(), (f) => f.pageId);
  const docs: SearchDoc[] = [];
  const found = new Set<number>();
  const stale: string[] = [];
  for (const { page, space } of rows) {
    found.add(page.id);
    const pageDocs = page.deletedAt === null ? pageDocuments(page, space) : [];
    const pageFiles = files.get(page.id)?.filter((f) => f.deletedAt === null) ?? [];
    if (pageDocs.length && pageFiles.length) pageDocs.push(attachmentDocument(page, space, pageDocs.length, pageFiles));
    docs.push(...pageDocs);
    // A page's sections change only with its text, that is with a new revision: a page still at
    // its first revision has no documents beyond its current ones (the first import, mostly),
    // unless an attachment document came or went.
    if (page.deletedAt !== null || page.revision > 1 || files.has(page.id)) stale.push(`(docKey = "page-${page.id}" AND section >= ${pageDocs.length})`);
  }
  for (const id of pageIds) if (!found.has(id)) stale.push(`docKey = "page-${id}"`);
  return { docs, stale };
}

interface SentBatch { rows: number; applied: Promise<void> }

/**
 * Claims due outbox rows and hands their documents to Meilisearch without waiting for it to apply
 * them; `applied` settles the rows once it has. Several batches sent before the first is applied
 * are merged by Meilisearch into one indexing run, which costs far less than one run each.
 */
async function sendBatch(limit = BATCH): Promise<SentBatch | null> {
  const index = searchIndex();
  if (!index) return null;
  const rows = claimOutbox([...INDEX_KINDS], limit, LEASE_MS);
  if (rows.length === 0) return null;
  const settle = async (tasks: Promise<Task>[]) => {
    const done = await Promise.all(tasks);
    const failed = done.find((t) => t.status === 'failed');
    if (failed) throw new Error(failed.error?.message ?? 'indexing failed');
    completeOutbox(rows.map((r) => r.id));
  };
  try {
    const ids = (kind: string) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => Number(r.subject)))];
    const pageIds = ids('index-page');
    const tasks: EnqueuedTaskPromise[] = [];
    const requirementIds = ids('index-requirement');
    const reqDocs = requirementDocs(requirementIds);
    if (reqDocs.length) tasks.push(index.addDocuments(reqDocs));
    // A requirement whose row is gone (its space was deleted) leaves the index.
    const kept = new Set(reqDocs.map((d) => d.docKey));
    const stale = requirementIds.map((id) => `req-${id}`).filter((k) => !kept.has(k)).map((k) => `docKey = "${k}"`);
    for (let i = 0; i < pageIds.length; i += 200) {
      const chunk = documentsFor(pageIds.slice(i, i + 200));
      if (chunk.docs.length) tasks.push(index.addDocuments(chunk.docs));
      stale.push(...chunk.stale);
    }
    // Documents pages no longer have: all of a deleted page's, or sections past its new count;
    // and those of requirements that are gone.
    // A deletion by filter is indexed on its own, so there is at most one per batch, and none when no page needs it.
    if (stale.length) tasks.push(index.deleteDocuments({ filter: stale.join(' OR ') }));
    await Promise.all(tasks); // enqueued
    // Polled every 500 ms, not the client's 50: under steady writes, four batches in flight polled
    // that often cost the server and Meilisearch more CPU than the searches they slowed.
    const applied = settle(tasks.map((t) => t.waitTask({ timeout: 300_000, interval: 500 })));
    applied.catch((err: unknown) => releaseOutbox(rows, err));
    return { rows: rows.length, applied };
  } catch (err) {
    releaseOutbox(rows, err);
    throw err;
  }
}

/** Indexes one batch of due outbox rows and waits until it is applied. Returns how many rows it completed. */
export async function indexBatch(limit = BATCH): Promise<number> {
  const release = holdLeases(console.error); // a long wait for Meilisearch must not look like a crash
  try {
    const sent = await sendBatch(limit);
    if (!sent) return 0;
    await sent.applied;
    return sent.rows;
  } finally {
    release();
  }
}

/** Indexes until nothing is due. */
export async function drainOutbox(): Promise<number> {
  let total = 0;
  for (let n = await indexBatch(); n > 0; n = await indexBatch()) total += n;
  return total;
}

export function pendingOutbox(): number {
  return db().select({ n: sql<number>`count(*)` }).from(outbox).where(inArray(outbox.kind, [...INDEX_KINDS])).get()!.n;
}

/**
 * Once Meilisearch answers again (restarted, or no longer hung): every index row still backing off
 * from the outage is due at once, and the indexer is woken, so what was written meanwhile is
 * searchable within seconds instead of after up to a minute of backoff. Returns how many rows.
 */
export function replayOutbox(): number {
  const { changes } = bookkeeping(() => db().update(outbox).set({ runAfter: 0 })
    .where(and(inArray(outbox.kind, [...INDEX_KINDS]), gt(outbox.runAfter, Date.now()))).run());
  wakeOutbox();
  return changes;
}

/** The indexing loop of a running server: wakes on commits, polls otherwise, backs off on errors. */
export function startIndexer(log: (msg: string) => void = console.error): { stop(): Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const release = holdLeases(log);
  const unsubscribe = onOutboxWake(() => wake?.());
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => { clearTimeout(timer); resolve(); };
  });
  let lastError = '';
  const failed = (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    if (message !== lastError) log(`search indexing failed, will retry: ${message}`);
    lastError = message;
  };
  const loop = (async () => {
    // Batches sent and not yet applied: a commit made meanwhile is sent at once, so Meilisearch
    // finds it queued and merges it into its next indexing run.
    const inFlight = new Set<Promise<void>>();
    let backOff = false;
    while (!stopped) {
      try {
        const sent = inFlight.size < MAX_IN_FLIGHT && !backOff ? await sendBatch() : null;
        if (sent) {
          const tracked: Promise<void> = sent.applied
            .then(() => { lastError = ''; }, (err: unknown) => { failed(err); backOff = true; })
            .finally(() => inFlight.delete(tracked));
          inFlight.add(tracked);
          continue;
        }
        if (backOff) {
          await Promise.allSettled(inFlight);
          await sleep(2000);
          backOff = false;
        } else if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
        else await Promise.race([sleep(1000), ...inFlight]); // a commit cuts the sleep short
      } catch (err) {
        failed(err);
        await sleep(2000);
      }
    }
    await Promise.allSettled(inFlight);
  })();
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      wake?.();
      await loop;
      release();
    },
  };
}
