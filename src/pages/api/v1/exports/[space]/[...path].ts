// GET /api/v1/exports/<space> (the whole space) or /api/v1/exports/<space>/<path> (that page and the
// pages under it): a zip of Markdown that `npm run import` reads back (src/server/content-io/export-space.ts).
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import contentDisposition from 'content-disposition';
import { exportSpace, exportTarget } from '../../../../../server/content-io/export-space.ts';
import { api, pathAfter } from '../../../../../server/http.ts';

const headers = (filename: string) => ({ 'content-type': 'application/zip', 'content-disposition': contentDisposition(filename), 'cache-control': 'no-store' });

export const GET: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  const out = exportSpace(locals.viewer, space, pathAfter(request, `/api/v1/exports/${encodeURIComponent(space)}`));
  return new Response(Readable.toWeb(out.stream) as ReadableStream, { headers: headers(out.filename) });
});

/** The headers only: nothing is read, zipped or recorded. */
export const HEAD: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  const { filename } = exportTarget(locals.viewer, space, pathAfter(request, `/api/v1/exports/${encodeURIComponent(space)}`));
  return new Response(null, { headers: headers(filename) });
});
