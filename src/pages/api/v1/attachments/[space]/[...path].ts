// GET /api/v1/attachments/<space>/<path> lists a page's attachments; DELETE /api/v1/attachments/<id>
// deletes one. Uploads (POST) are answered by the plain handler in front of Astro, which streams
// the body to disk (src/server/plain-routes.ts); the POST here serves `astro dev` alike.
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { deleteAttachment, listAttachments } from '../../../../../server/attachments/attachments.ts';
import { uploadAttachment } from '../../../../../server/attachments/upload.ts';
import { api, json, pathAfter } from '../../../../../server/http.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/attachments/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  return json(listAttachments(locals.viewer, space, pagePath(request, space)));
});

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const body = Readable.fromWeb((request.body ?? new Blob().stream()) as import('node:stream/web').ReadableStream);
  const attachment = await uploadAttachment(locals.viewer, space, pagePath(request, space), Object.fromEntries(request.headers), body);
  return json(attachment, 201);
});

/** DELETE /api/v1/attachments/<id>: the one segment is the attachment's id. */
export const DELETE: APIRoute = ({ locals, params, request }) => api(() => {
  const id = params.space ?? '';
  if (pagePath(request, id) !== '' || !/^\d{1,15}$/.test(id)) return json({ error: 'Not found' }, 404);
  deleteAttachment(locals.viewer, Number(id));
  return new Response(null, { status: 204 });
});
