import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { numberParam } from '../../../../server/params.ts';
import { recentChanges } from '../../../../server/recent/recent.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(recentChanges(locals.viewer, {
  space: url.searchParams.get('space'), limit: numberParam(url.searchParams, 'limit', 1),
})));
