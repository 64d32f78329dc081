// POST /api/v1/presence/<space>/<path>: the editor's heartbeat; answers who else is editing the page.
import type { APIRoute } from 'astro';
import { heartbeat } from '../../../../../server/editor/presence.ts';
import { api, json, pathAfter } from '../../../../../server/http.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  return json(heartbeat(locals.viewer, space, pathAfter(request, `/api/v1/presence/${encodeURIComponent(space)}`)));
});
