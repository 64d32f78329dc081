// Search as the viewer: only spaces they may read, filters built from validated values only,
// snippets HTML-escaped with our own highlight marks.
import type { Viewer } from '../access/index.ts';
import { readableSpaceIds } from '../access/index.ts';
import { badInput, DomainError, notFound } from '../errors.ts';
import { oneOf } from '../params.ts';
import { findSpace } from '../spaces/spaces.ts';
import { pageHref } from '../markdown/href.ts';
import { requirementHref } from '../markdown/requirement-keys.ts';
import { liveStatuses } from '../requirements/view.ts';
import { searchDocuments } from './client.ts';
import { highlighter, queryTerms } from './snippet.ts';

export const MAX_QUERY_CHARS = 500;

export interface SearchHit {
  type: 'page' | 'requirement'; space: string; path: string; anchor: string; href: string; title: string; titleHtml: string;
  snippet: string; project: string | null;
  /** A requirement's current status, read from SQLite (the index may lag by a moment). */
  status: string | null; statusName: { en: string; zh: string } | null; done: boolean;
}
export interface SearchResult { hits: SearchHit[]; total: number; tookMs: number; facets: { spaces: Record<string, number>; tags: Record<string, number> } }
export interface SearchInput {
  q: string; space?: string; tag?: string; limit?: number; offset?: number; facets?: boolean;
  /** Requirement filters: only this kind of result, project key, workflow status. */
  type?: string; project?: string; status?: string;
}

/** A Meilisearch filter string literal. */
export const filterString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The filter of a search in these spaces: built from validated values only (never pasted query text). */
export function searchFilter(spaceIds: number[], input: Pick<SearchInput, 'tag' | 'type' | 'project' | 'status'>): string[] {
  const filter = [`spaceId IN [${spaceIds.join(',')}]`, 'archived = false'];
  if (input.tag) filter.push(`tags = ${filterString(input.tag)}`);
  if (input.type) filter.push(`type = ${oneOf('type', input.type, ['page', 'requirement'])}`);
  if (input.project) filter.push(`projectKey = ${filterString(input.project)}`);
  if (input.status) filter.push(`status = ${filterString(input.status)}`);
  return filter;
}

/** What one search asks of Meilisearch (npm run bench sends exactly this to Meilisearch directly, too). */
export function meiliSearchParams(q: string, { filter, limit, offset, facets }: { filter: string[]; limit: number; offset: number; facets?: boolean }) {
  return {
    filter, limit, offset,
    attributesToRetrieve: ['type', 'spaceKey', 'projectKey', 'status', 'path', 'anchor', 'title', 'text'],
    // Counting facets over every candidate costs; only the results page shows them.
    facets: facets ? ['spaceKey', 'tags'] : undefined,
    locales: /\p{Script=Han}/u.test(q) ? ['cmn' as const] : undefined,
  };
}

export async function search(viewer: Viewer | null, input: SearchInput): Promise<SearchResult> {
  const started = performance.now();
  const q = input.q.normalize('NFKC').trim();
  if ([...q].length > MAX_QUERY_CHARS) throw badInput(`A search is at most ${MAX_QUERY_CHARS} characters`);
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), 100);
  const offset = Math.min(Math.max(Math.trunc(input.offset ?? 0), 0), 900);
  let spaceIds = readableSpaceIds(viewer);
  if (input.space) {
    const space = findSpace(input.space);
    if (!space || !spaceIds.includes(space.id)) throw notFound();
    spaceIds = [space.id];
  }
  const empty = { hits: [], total: 0, facets: { spaces: {}, tags: {} } };
  if (spaceIds.length === 0) return { ...empty, tookMs: performance.now() - started };
  const filter = searchFilter(spaceIds, input);
  let res;
  try {
    res = await searchDocuments({ q, ...meiliSearchParams(q, { filter, limit, offset, facets: input.facets }) });
  } catch (err) {
    throw new DomainError(503, `Search is not available right now (${err instanceof Error ? err.message : err})`);
  }
  if (!res) throw new DomainError(503, 'Search is not available right now');
  const marks = highlighter(queryTerms(q));
  const live = liveStatuses(res.hits.filter((h) => h.type === 'requirement').map((h) => h.path));
  const hits = res.hits.map((h) => ({
    type: h.type, space: h.spaceKey, path: h.path, anchor: h.anchor, title: h.title, project: h.projectKey ?? null,
    href: h.type === 'requirement' ? requirementHref(h.path) : pageHref(h.spaceKey, h.path) + (h.anchor ? `#${h.anchor}` : ''),
    status: live.get(h.path)?.status ?? h.status ?? null, statusName: live.get(h.path)?.statusName ?? null, done: live.get(h.path)?.done ?? false,
    titleHtml: marks.mark(h.title),
    snippet: marks.snippet(h.text),
  }));
  return {
    hits,
    total: res.estimatedTotalHits ?? hits.length,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    facets: { spaces: res.facetDistribution?.spaceKey ?? {}, tags: res.facetDistribution?.tags ?? {} },
  };
}
