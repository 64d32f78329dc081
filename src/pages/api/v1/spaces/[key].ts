import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { spaceSummary } from '../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => {
  const { key, name, kind, visibility, description, pageCount } = spaceSummary(locals.viewer, params.key ?? '');
  return json({ key, name, kind, visibility, description, pageCount });
});
