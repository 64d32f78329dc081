// The Meilisearch connection of this process. The process that starts or finds Meilisearch
// (scripts/start.ts, import, tests) publishes it in DOSSIER_MEILI_URL / DOSSIER_MEILI_KEY.
import { Meilisearch, MeilisearchTaskTimeOutError, type Index, type SearchResponse, type Settings } from 'meilisearch';
import { Pool, type Dispatcher } from 'undici';
import type { SearchDoc } from './documents.ts';

let cached: { url: string; client: Meilisearch } | undefined;
let searchPool: { url: string; pool: Pool } | undefined;
// A search takes milliseconds; one that takes a second meets a hung or starved Meilisearch, and
// failing it then leaves room for the rest of the request within 2 s even on a loaded machine.
const SEARCH_TIMEOUT_MS = 1_000;

export function indexName(): string {
  return process.env.DOSSIER_SEARCH_INDEX ?? 'dossier';
}

export function publishMeili(url: string, apiKey: string): void {
  process.env.DOSSIER_MEILI_URL = url;
  process.env.DOSSIER_MEILI_KEY = apiKey;
}

export function meili(): Meilisearch | null {
  const url = process.env.DOSSIER_MEILI_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached = {
      url,
      client: new Meilisearch({
        host: url, apiKey: process.env.DOSSIER_MEILI_KEY, timeout: 30_000,
        // fetch asks for gzip/br by default, and Meilisearch then spends ~40 ms compressing each
        // search answer; over a local or data-centre link, uncompressed is 5-10× faster.
        requestInit: { headers: { 'accept-encoding': 'identity' } },
      }),
    };
  }
  return cached.client;
}

export function searchIndex(): Index<SearchDoc> | null {
  return meili()?.index<SearchDoc>(indexName()) ?? null;
}

/**
 * Sends settings to an index and waits up to `waitMs` for them. Settings that change how text is
 * segmented (the synonyms' dictionary) make Meilisearch index every document again, which on a
 * large site takes longer: the index answers with its old settings meanwhile and documents sent
 * later wait their turn, so that is logged, not an error. Refused settings are an error.
 */
export async function applySettings(settings: Settings, { name = indexName(), waitMs, log = console.error }: { name?: string; waitMs: number; log?: (m: string) => void }): Promise<void> {
  try {
    const task = await meili()!.index(name).updateSettings(settings).waitTask({ timeout: waitMs });
    if (task.status !== 'succeeded') throw new Error(`Meilisearch did not apply the index settings: ${task.error?.message ?? task.status}`);
  } catch (err) {
    if (!(err instanceof MeilisearchTaskTimeOutError)) throw err;
    log(`search: index settings still being applied after ${waitMs / 1000} s (every document is segmented again); searches use the previous ones meanwhile`);
  }
}

function pool(url: string): Pool {
  if (searchPool?.url !== url) {
    void searchPool?.pool.close();
    searchPool = { url, pool: new Pool(url, { connections: 32 }) };
  }
  return searchPool.pool;
}

/**
 * A POST of JSON to Meilisearch on the search pool; null when none is configured. A hung
 * Meilisearch (stopped, swapping) fails it within SEARCH_TIMEOUT_MS, waiting for a connection
 * included, so that search answers 503 at once rather than holding the reader.
 */
async function post<T>(path: string, body: unknown): Promise<T | null> {
  const url = process.env.DOSSIER_MEILI_URL;
  if (!url) return null;
  // One deadline for the whole request. A timer of our own, cleared at the end: AbortSignal.timeout
  // costs several times more CPU per request on this hot path.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), SEARCH_TIMEOUT_MS);
  let res: Dispatcher.ResponseData;
  let data: T & { message?: string };
  try {
    res = await pool(url).request({
      path, method: 'POST', body: JSON.stringify(body), signal: deadline.signal,
      // Uncompressed, as for the client above.
      headers: { 'content-type': 'application/json', 'accept-encoding': 'identity', authorization: `Bearer ${process.env.DOSSIER_MEILI_KEY ?? ''}` },
    });
    data = (await readJson(res.body)) as T & { message?: string };
  } catch {
    throw new Error(deadline.signal.aborted ? `Meilisearch did not answer within ${SEARCH_TIMEOUT_MS} ms` : 'Meilisearch is not reachable');
  } finally {
    clearTimeout(timer);
  }
  if (res.statusCode !== 200) throw new Error(data.message ?? `Meilisearch answered ${res.statusCode}`);
  return data;
}

/**
 * A body's JSON, from its bytes. undici's own body.json() (and .text()) left each parsed answer
 * alive past the next young-generation collection, so all of it was promoted to the old
 * generation: 1.5 MB per scavenge under searches at one client, 0.3 MB this way (--trace-gc-nvp).
 */
async function readJson(body: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return JSON.parse((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString());
}

/**
 * One search of our index, sent on a pool of kept-alive connections rather than through the
 * client's fetch: search is the hot path, and fetch costs twice the CPU per request (measured
 * side by side against Meilisearch: 0.76–1.17 ms vs 0.36–0.57 ms). Null when none is configured.
 */
export function searchDocuments(body: Record<string, unknown>): Promise<SearchResponse<SearchDoc> | null> {
  return post(`/indexes/${encodeURIComponent(indexName())}/search`, body);
}

/** Several searches of our index in one request (Meilisearch's multi-search), answers in order. */
export async function searchMany(bodies: Record<string, unknown>[]): Promise<SearchResponse<SearchDoc>[] | null> {
  const index = indexName();
  const res = await post<{ results: SearchResponse<SearchDoc>[] }>('/multi-search', { queries: bodies.map((b) => ({ indexUid: index, ...b })) });
  return res?.results ?? null;
}
