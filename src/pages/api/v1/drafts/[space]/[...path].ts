// GET/PUT/DELETE /api/v1/drafts/<space>/<path>: the signed-in writer's draft of that page; with
// ?new, GET answers their newest draft of a page not created yet below <path>. No draft: 204.
import type { APIRoute } from 'astro';
import { deleteDraft, getDraft, getNewPageDraft, putDraft, type Draft } from '../../../../../server/editor/drafts.ts';
import { api, json, pathAfter, readJson } from '../../../../../server/http.ts';

const draftPath = (request: Request, space: string) => pathAfter(request, `/api/v1/drafts/${encodeURIComponent(space)}`);
const body = (d: Draft) => ({ ...d, updatedAt: new Date(d.updatedAt).toISOString() });

export const GET: APIRoute = ({ locals, params, request, url }) => api(() => {
  const space = params.space ?? '';
  const find = url.searchParams.has('new') ? getNewPageDraft : getDraft;
  const draft = find(locals.viewer, space, draftPath(request, space));
  return draft ? json(body(draft)) : new Response(null, { status: 204 });
});

export const PUT: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  return json(body(putDraft(locals.viewer, space, draftPath(request, space), await readJson(request))));
});

export const DELETE: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  deleteDraft(locals.viewer, space, draftPath(request, space));
  return new Response(null, { status: 204 });
});
