import type { APIRoute } from 'astro';
import { api, json } from '../../../../../server/http.ts';
import { numberParam } from '../../../../../server/params.ts';
import { projectOverview } from '../../../../../server/projects/overview.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => json(projectOverview(locals.viewer, params.key ?? '', {
  kind: url.searchParams.get('kind'), person: url.searchParams.get('person'), limit: numberParam(url.searchParams, 'limit', 1),
})));
