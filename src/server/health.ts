// What /healthz reports: the database, the search engine and the indexing backlog.
import { probeSearch, searchStatus, type SearchState } from './meili/supervisor.ts';
import { pendingOutbox } from './search/indexer.ts';

export async function healthReport() {
  let dbState: 'ok' | 'error' = 'ok';
  let outboxPending = 0;
  try {
    outboxPending = pendingOutbox();
  } catch {
    dbState = 'error';
  }
  // The supervisor's last probe is at most a second old; when it saw search well, ask again now,
  // so that an outage of the last second shows too.
  const supervised = searchStatus();
  let search: SearchState = supervised?.state ?? 'ok';
  if (search === 'ok') {
    const url = process.env.DOSSIER_MEILI_URL;
    search = url ? await probeSearch(url) : 'down';
  }
  return {
    status: dbState === 'ok' && search === 'ok' ? 'ok' : 'degraded',
    db: dbState, search, searchRestarts: supervised?.restarts ?? 0, outboxPending,
  };
}
