// Works off the outbox into Meilisearch: claims due rows, sends their documents, waits until
// Meilisearch has applied them, then deletes the rows. Failures back off and retry forever,
// so a page saved while Meilisearch is down becomes searchable once it is back.
import { eq, inArray, sql } from 'drizzle-orm';
import { outbox, pages, projects, requirements, spaces } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { claimOutbox, completeOutbox, onOutboxWake, releaseOutbox } from '../outbox.ts';
import { searchIndex } from './client.ts';
import { pageDocuments, requirementDocument, type SearchDoc } from './documents.ts';

const LEASE_MS = 120_000;
const BATCH = 1000;

const INDEX_KINDS = ['index-page', 'index-requirement'] as const;

function requirementDocs(ids: number[]): SearchDoc[] {
  if (ids.length === 0) return [];
  return db().select({ req: requirements, project: projects, space: spaces }).from(requirements)
    .innerJoin(projects, eq(projects.id, requirements.projectId)).innerJoin(spaces, eq(spaces.id, projects.spaceId))
    .where(inArray(requirements.id, ids)).all().map(({ req, project, space }) => requirementDocument(req, project, space));
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
  const rows = claimOutbox([...INDEX_KINDS], limit, LEASE_MS);
  if (rows.length === 0) return 0;
  try {
    const ids = (kind: string) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => Number(r.subject)))];
    const pageIds = ids('index-page');
    // Enqueue every chunk first and wait once: Meilisearch batches queued tasks together.
    const tasks = [];
    const reqDocs = requirementDocs(ids('index-requirement'));
    if (reqDocs.length) tasks.push(index.addDocuments(reqDocs));
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
    completeOutbox(rows.map((r) => r.id));
    return rows.length;
  } catch (err) {
    releaseOutbox(rows, err);
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
  return db().select({ n: sql<number>`count(*)` }).from(outbox).where(inArray(outbox.kind, [...INDEX_KINDS])).get()!.n;
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
