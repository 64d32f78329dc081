// What /healthz reports: the database, the search engine and the indexing backlog.
import { pendingOutbox } from './search/indexer.ts';

export async function healthReport() {
  let dbState: 'ok' | 'error' = 'ok';
  let outboxPending = 0;
  try {
    outboxPending = pendingOutbox();
  } catch {
    dbState = 'error';
  }
  let search: 'ok' | 'down' = 'down';
  const url = process.env.DOSSIER_MEILI_URL;
  try {
    if (url && (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) search = 'ok';
  } catch { /* down */ }
  return { status: dbState === 'ok' && search === 'ok' ? 'ok' : 'degraded', db: dbState, search, outboxPending };
}
