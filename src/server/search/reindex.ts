// Rebuilds the search index from SQLite into a fresh index, then swaps it in, so search keeps
// answering during the rebuild. Pending outbox rows are dropped: the rebuild covers them.
import { and, gt, inArray, isNull, lte, sql } from 'drizzle-orm';
import { outbox, pages, requirements } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { indexName, meili } from './client.ts';
import type { SearchDoc } from './documents.ts';
import { documentsFor, requirementDocs } from './indexer.ts';
import { ensureIndex, indexExists } from './settings.ts';

export async function reindexAll(log: (msg: string) => void = () => {}): Promise<number> {
  const client = meili();
  if (!client) throw new Error('Meilisearch is not configured');
  const name = indexName();
  const fresh = `${name}_rebuild`;
  if (await indexExists(fresh)) await client.deleteIndex(fresh).waitTask({ timeout: 60_000 });
  await ensureIndex(fresh);
  const startedAt = db().select({ id: sql<number>`coalesce(max(${outbox.id}), 0)` }).from(outbox).get()!.id;
  let lastId = 0;
  let count = 0;
  const tasks: Promise<unknown>[] = [];
  // The same documents the indexer sends, attachments included.
  const send = (docs: SearchDoc[]) => tasks.push(client.index<SearchDoc>(fresh).addDocuments(docs).waitTask({ timeout: 0 }));
  for (;;) {
    const ids = db().select({ id: pages.id }).from(pages).where(and(isNull(pages.deletedAt), gt(pages.id, lastId))).orderBy(pages.id).limit(500).all().map((r) => r.id);
    if (ids.length === 0) break;
    lastId = ids.at(-1)!;
    send(documentsFor(ids).docs);
    count += ids.length;
    log(`queued ${count} pages`);
  }
  for (let last = 0; ;) {
    const ids = db().select({ id: requirements.id }).from(requirements).where(gt(requirements.id, last)).orderBy(requirements.id).limit(500).all().map((r) => r.id);
    if (ids.length === 0) break;
    last = ids.at(-1)!;
    send(requirementDocs(ids));
    count += ids.length;
    log(`queued ${count} pages and requirements`);
  }
  await Promise.all(tasks);
  await ensureIndex(name);
  await client.swapIndexes([{ indexes: [name, fresh], rename: false }]).waitTask({ timeout: 60_000 });
  await client.deleteIndex(fresh).waitTask({ timeout: 60_000 });
  // Rows written before the rebuild started are covered by it; later ones stay and are indexed again.
  db().delete(outbox).where(and(inArray(outbox.kind, ['index-page', 'index-requirement']), lte(outbox.id, startedAt))).run();
  return count;
}
