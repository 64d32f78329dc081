// A hit as its page or requirement is now, decided when it is shown: the index follows a save by
// a moment, and by longer while Meilisearch works through an import. The title, path and space
// are read from the live row; a hit whose page is gone, or is now in a space the reader may not
// read, is left out. Only the rows' first columns are read (and a live page's deleted_at, which
// is null): a column after a long page's HTML is read through its overflow pages.
import { readCache } from '../db-cache.ts';
import { prepared } from '../db.ts';
import { requirementTitle, type SearchDoc } from './documents.ts';

type Shown = Pick<SearchDoc, 'docKey' | 'spaceKey' | 'projectKey' | 'path' | 'title'>;

// One prepared statement for any number of hits: a JSON array parameter of their ids (null for a
// hit of the other type); `i` is the hit's place in it.
const livePages = prepared((d) => d.$client.prepare<[string], { i: number; spaceId: number; spaceKey: string; path: string; title: string }>(
  `select j.key as i, p.space_id as spaceId, s.key as spaceKey, p.path, p.title
   from json_each(?) j join pages p on p.id = j.value and p.deleted_at is null join spaces s on s.id = p.space_id`,
));
const liveRequirements = prepared((d) => d.$client.prepare<[string], { i: number; spaceId: number; spaceKey: string; key: string; title: string; projectKey: string }>(
  `select j.key as i, pr.space_id as spaceId, s.key as spaceKey, r.key, r.title, pr.key as projectKey
   from json_each(?) j join requirements r on r.id = j.value join projects pr on pr.id = r.project_id join spaces s on s.id = pr.space_id`,
));

type LiveRow = { i: number; spaceId: number } & Partial<Shown>;

// Remembered until the database changes (exact: db-cache.ts), like the hits' page facts: the same
// search asked again (as you type, or by the next reader) reads nothing. Keyed by the hits' keys
// in order; which rows a reader may see is decided after, for each reader.
const liveRows = readCache<string, LiveRow[]>({ entries: 5000 });

const PAGE = 'page-';
const REQUIREMENT = 'req-';

/** The hits, in their order, as their pages and requirements are now, readable in `spaceIds`. */
export function liveHits<T extends Shown>(hits: T[], spaceIds: readonly number[]): T[] {
  const readable = new Set(spaceIds);
  const now: (Partial<Shown> | undefined)[] = new Array(hits.length);
  for (const { i, spaceId, ...shown } of liveRows.get(hits.map((h) => h.docKey).join(' '), () => readRows(hits))) {
    if (readable.has(spaceId)) now[i] = shown;
  }
  return hits.flatMap((h, i) => (now[i] ? [{ ...h, ...now[i] }] : []));
}

/** The live rows of the hits, each with the hit's place and its space. */
function readRows(hits: Shown[]): LiveRow[] {
  const rows: LiveRow[] = [];
  const ids = (prefix: string) => JSON.stringify(hits.map((h) => (h.docKey.startsWith(prefix) ? Number(h.docKey.slice(prefix.length)) : null)));
  if (hits.some((h) => h.docKey.startsWith(PAGE))) {
    for (const r of livePages().all(ids(PAGE))) rows.push({ i: r.i, spaceId: r.spaceId, spaceKey: r.spaceKey, path: r.path, title: r.title });
  }
  if (hits.some((h) => h.docKey.startsWith(REQUIREMENT))) {
    for (const r of liveRequirements().all(ids(REQUIREMENT))) {
      // As its search document has them (documents.ts): the key is its path.
      rows.push({ i: r.i, spaceId: r.spaceId, spaceKey: r.spaceKey, projectKey: r.projectKey, path: r.key, title: requirementTitle(r) });
    }
  }
  return rows;
}
