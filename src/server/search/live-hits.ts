// A hit as its page or requirement is now, decided when it is shown: the index follows a save by
// a moment, and by longer while Meilisearch works through an import. The title, path and space
// are read from the live row; a hit whose page is gone, or is now in a space the reader may not
// read, is left out. Only the rows' first columns are read (and a live page's deleted_at, which
// is null): a column after a long page's HTML is read through its overflow pages.
import { db, prepared } from '../db.ts';
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

const PAGE = 'page-';
const REQUIREMENT = 'req-';

/** The hits, in their order, as their pages and requirements are now, readable in `spaceIds`. */
export function liveHits<T extends Shown>(hits: T[], spaceIds: readonly number[]): T[] {
  const readable = new Set(spaceIds);
  const now: (Partial<Shown> | undefined)[] = new Array(hits.length);
  const ids = (prefix: string) => JSON.stringify(hits.map((h) => (h.docKey.startsWith(prefix) ? Number(h.docKey.slice(prefix.length)) : null)));
  if (hits.some((h) => h.docKey.startsWith(PAGE))) {
    for (const r of livePages().all(ids(PAGE))) if (readable.has(r.spaceId)) now[r.i] = { spaceKey: r.spaceKey, path: r.path, title: r.title };
  }
  if (hits.some((h) => h.docKey.startsWith(REQUIREMENT))) {
    for (const r of liveRequirements().all(ids(REQUIREMENT))) {
      // As its search document has them (documents.ts): the key is its path.
      if (readable.has(r.spaceId)) now[r.i] = { spaceKey: r.spaceKey, projectKey: r.projectKey, path: r.key, title: requirementTitle(r) };
    }
  }
  return hits.flatMap((h, i) => (now[i] ? [{ ...h, ...now[i] }] : []));
}
