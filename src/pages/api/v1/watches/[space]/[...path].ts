// GET /api/v1/watches/<space>/<path>: whether you watch this page and its space;
// PUT watches the page, DELETE stops. A whole space: /api/v1/space-watches/<space>.
import type { APIRoute } from 'astro';
import { api, json, pathAfter } from '../../../../../server/http.ts';
import { loadPage } from '../../../../../server/pages/get-page.ts';
import { setPageWatch, watchState } from '../../../../../server/watching/watches.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/watches/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request }) => api(() => {
  const { space, page } = loadPage(locals.viewer, params.space ?? '', pagePath(request, params.space ?? ''));
  return json(watchState(locals.viewer, space.id, page.id));
});

export const PUT: APIRoute = ({ locals, params, request }) => api(() =>
  json(setPageWatch(locals.viewer, params.space ?? '', pagePath(request, params.space ?? ''), true)));

export const DELETE: APIRoute = ({ locals, params, request }) => api(() => {
  setPageWatch(locals.viewer, params.space ?? '', pagePath(request, params.space ?? ''), false);
  return new Response(null, { status: 204 });
});
