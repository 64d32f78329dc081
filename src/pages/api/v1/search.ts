import type { APIRoute } from 'astro';
import { api, json } from '../../../server/http.ts';
import { search } from '../../../server/search/query.ts';

export const GET: APIRoute = ({ locals, url }) => api(async () => {
  const p = url.searchParams;
  const limit = Number(p.get('limit') ?? 20);
  const opt = (name: string) => p.get(name) || undefined;
  const res = await search(locals.viewer, {
    q: p.get('q') ?? '', space: opt('space'), tag: opt('tag'), type: opt('type'), project: opt('project'), status: opt('status'),
    limit: Number.isFinite(limit) ? limit : 20, facets: p.get('facets') === '1',
  });
  return json({
    hits: res.hits.map(({ type, space, path, title, snippet, anchor, href, project, status }) => (type === 'requirement'
      ? { type, key: path, project, status, space, path, href, title, snippet }
      : { type, space, path, anchor, href, title, snippet })),
    total: res.total, tookMs: res.tookMs, facets: res.facets,
  });
});
