// Search as the viewer: only spaces they may read, filters built from validated values only,
// snippets HTML-escaped with our own highlight marks.
import type { Viewer } from '../access/index.ts';
import { readableSpaceIds } from '../access/index.ts';
import { badInput, DomainError, notFound } from '../errors.ts';
import { findSpace } from '../spaces/spaces.ts';
import { escapeHtml } from '../html.ts';
import { pageHref } from '../markdown/href.ts';
import { requirementHref } from '../markdown/requirement-keys.ts';
import { liveStatuses } from '../requirements/view.ts';
import { searchIndex } from './client.ts';
import { makeSnippet, queryTerms } from './snippet.ts';
import type { SearchDoc } from './documents.ts';

export const MAX_QUERY_CHARS = 500;
const PRE = '\u0002';
const POST = '\u0003';

export interface SearchHit {
  type: 'page' | 'requirement'; space: string; path: string; anchor: string; href: string; title: string; titleHtml: string;
  snippet: string; tags: string[]; project: string | null;
  /** A requirement's current status, read from SQLite (the index may lag by a moment). */
  status: string | null; statusName: { en: string; zh: string } | null; done: boolean;
}
export interface SearchResult { hits: SearchHit[]; total: number; tookMs: number; facets: { spaces: Record<string, number>; tags: Record<string, number> } }
export interface SearchInput {
  q: string; space?: string; tag?: string; limit?: number; offset?: number; facets?: boolean;
  /** Requirement filters: only this kind of result, project key, workflow status. */
  type?: string; project?: string; status?: string;
}

/** Escapes everything, then turns our private marks into <mark>. */
export const markHighlights = (s: string) => escapeHtml(s.replace(/[\u0000-\u0003]/g, (c) => (c === PRE || c === POST ? c : ''))).replaceAll(PRE, '<mark>').replaceAll(POST, '</mark>');
/** A Meilisearch filter string literal. */
export const filterString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export async function search(viewer: Viewer | null, input: SearchInput): Promise<SearchResult> {
  const started = performance.now();
  const q = input.q.normalize('NFKC').trim();
  if ([...q].length > MAX_QUERY_CHARS) throw badInput(`A search is at most ${MAX_QUERY_CHARS} characters`);
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? 20), 1), 100);
  const offset = Math.min(Math.max(Math.trunc(input.offset ?? 0), 0), 900);
  let spaceIds = readableSpaceIds(viewer);
  if (input.space) {
    const space = findSpace(input.space);
    if (!space || !spaceIds.includes(space.id)) throw notFound(`No space "${input.space}"`);
    spaceIds = [space.id];
  }
  const empty = { hits: [], total: 0, facets: { spaces: {}, tags: {} } };
  if (spaceIds.length === 0) return { ...empty, tookMs: performance.now() - started };
  const index = searchIndex();
  if (!index) throw new DomainError(503, 'Search is not available right now');
  const filter = [`spaceId IN [${spaceIds.join(',')}]`, 'archived = false'];
  if (input.tag) filter.push(`tags = ${filterString(input.tag)}`);
  if (input.type) {
    if (input.type !== 'page' && input.type !== 'requirement') throw badInput('type is page or requirement');
    filter.push(`type = ${input.type}`);
  }
  if (input.project) filter.push(`projectKey = ${filterString(input.project)}`);
  if (input.status) filter.push(`status = ${filterString(input.status)}`);
  let res;
  try {
    res = await index.search<SearchDoc>(q, {
      filter, limit, offset,
      attributesToRetrieve: ['type', 'spaceKey', 'projectKey', 'status', 'path', 'anchor', 'title', 'tags', 'text'],
      attributesToHighlight: ['title'],
      highlightPreTag: PRE, highlightPostTag: POST,
      // Counting facets over every candidate costs; only the results page shows them.
      facets: input.facets ? ['spaceKey', 'tags'] : undefined,
      locales: /\p{Script=Han}/u.test(q) ? ['cmn'] : undefined,
    });
  } catch (err) {
    throw new DomainError(503, `Search is not available right now (${err instanceof Error ? err.message : err})`);
  }
  const terms = queryTerms(q);
  const live = liveStatuses(res.hits.filter((h) => h.type === 'requirement').map((h) => h.path));
  const hits = res.hits.map((h) => ({
    type: h.type, space: h.spaceKey, path: h.path, anchor: h.anchor, title: h.title, tags: h.tags, project: h.projectKey ?? null,
    href: h.type === 'requirement' ? requirementHref(h.path) : pageHref(h.spaceKey, h.path) + (h.anchor ? `#${h.anchor}` : ''),
    status: live.get(h.path)?.status ?? h.status ?? null, statusName: live.get(h.path)?.statusName ?? null, done: live.get(h.path)?.done ?? false,
    titleHtml: markHighlights(h._formatted?.title ?? h.title),
    snippet: makeSnippet(h.text, terms),
  }));
  return {
    hits,
    total: res.estimatedTotalHits ?? hits.length,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
    facets: { spaces: res.facetDistribution?.spaceKey ?? {}, tags: res.facetDistribution?.tags ?? {} },
  };
}
