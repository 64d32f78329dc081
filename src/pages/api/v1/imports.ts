// POST /api/v1/imports: a zip archive imported as a new space (site admins). The running server
// answers it with the plain handler in front of Astro, which streams the body to disk
// (src/server/plain-routes.ts); this route serves `astro dev` alike. GET: the imports running now
// and those left unfinished (answered by the plain handler too, whose module instance runs them).
import { Readable } from 'node:stream';
import type { APIRoute } from 'astro';
import { importStatus, importUploadedArchive } from '../../../server/content-io/import-archive.ts';
import { api, json } from '../../../server/http.ts';

export const POST: APIRoute = ({ locals, request }) => api(async () => {
  const body = Readable.fromWeb((request.body ?? new Blob().stream()) as import('node:stream/web').ReadableStream);
  return json(await importUploadedArchive(locals.viewer, Object.fromEntries(request.headers), body), 201);
});

export const GET: APIRoute = ({ locals }) => api(() => json(importStatus(locals.viewer)));
