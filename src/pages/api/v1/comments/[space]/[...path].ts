// GET/POST /api/v1/comments/<space>/<path>: a page's comment threads, or a new comment.
// PATCH/DELETE /api/v1/comments/<id>: edit, resolve/reopen or delete one comment.
// One route for both: /comments/<id> and a space's home page (/comments/<space>) share a shape.
import type { APIRoute } from 'astro';
import { deleteComment, postComment, readComments, updateComment } from '../../../../../server/comments/comments.ts';
import { notFound } from '../../../../../server/errors.ts';
import { api, json, pathAfter, readJson } from '../../../../../server/http.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/comments/${encodeURIComponent(space)}`);

function commentId(params: Record<string, string | undefined>): number {
  if (params.path || !/^[1-9]\d{0,15}$/.test(params.space ?? '')) throw notFound();
  return Number(params.space);
}

export const GET: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  return json(await readComments(locals.viewer, space, pagePath(request, space), locals.lang));
});

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  return json(await postComment(locals.viewer, space, pagePath(request, space), await readJson(request)), 201);
});

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () =>
  json(await updateComment(locals.viewer, commentId(params), await readJson(request))));

export const DELETE: APIRoute = ({ locals, params }) => api(() => {
  deleteComment(locals.viewer, commentId(params));
  return new Response(null, { status: 204 });
});
