import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { getSpace } from '../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => {
  const { key, name, kind, visibility, description, pageCount } = getSpace(locals.viewer, params.key ?? '');
  return json({ key, name, kind, visibility, description, pageCount });
});
