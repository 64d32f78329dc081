// GET /api/v1/search: query parameters in, the JSON body out. The running server answers it with
// a plain handler (src/server/plain-routes.ts); the Astro route serves the same body under `astro dev`.
import type { Viewer } from '../access/index.ts';
import { numberParam } from '../params.ts';
import { search } from './query.ts';

export async function searchApi(viewer: Viewer | null, p: URLSearchParams) {
  const opt = (name: string) => p.get(name) || undefined;
  const res = await search(viewer, {
    q: p.get('q') ?? '', space: opt('space'), tag: opt('tag'), type: opt('type'), project: opt('project'), status: opt('status'),
    kind: opt('kind'), archived: ['include', '1'].includes(p.get('archived') ?? ''),
    limit: numberParam(p, 'limit', 1), offset: numberParam(p, 'offset', 0), facets: p.get('facets') === '1',
  });
  return {
    hits: res.hits.map(({ type, space, path, title, snippet, anchor, href, project, status, synonyms, updatedAt, updatedBy, verified, breadcrumbs }) => (type === 'requirement'
      ? { type, key: path, project, status, space, path, href, title, snippet, synonyms, updatedAt }
      : { type, space, path, anchor, href, title, snippet, synonyms, updatedAt, updatedBy, verified, breadcrumbs })),
    total: res.total, tookMs: res.tookMs, facets: res.facets, suggestion: res.suggestion, suggestionApplied: res.suggestionApplied,
  };
}
