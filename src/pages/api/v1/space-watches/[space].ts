// PUT /api/v1/space-watches/<space>: watch every page of a space (new ones too); DELETE stops.
import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { setSpaceWatch } from '../../../../server/watching/watches.ts';

export const PUT: APIRoute = ({ locals, params }) => api(() => json(setSpaceWatch(locals.viewer, params.space ?? '', true)));

export const DELETE: APIRoute = ({ locals, params }) => api(() => {
  setSpaceWatch(locals.viewer, params.space ?? '', false);
  return new Response(null, { status: 204 });
});
