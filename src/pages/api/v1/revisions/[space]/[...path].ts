// GET /api/v1/revisions/<space>/<path>: the page's revisions, newest first (read).
// POST the same with {restore: N}: a new revision equal to revision N (edit), through the normal save.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, pathAfter, readJson } from '../../../../../server/http.ts';
import { listRevisions, restoreRevision } from '../../../../../server/pages/history.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/revisions/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request }) => api(() => {
  const space = params.space ?? '';
  return json(listRevisions(locals.viewer, space, pagePath(request, space))
    .map(({ revision, author, createdAt, message }) => ({ revision, author, createdAt: new Date(createdAt).toISOString(), message })));
});

const Restore = z.object({ restore: z.number().int().positive() });

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const { restore } = parseInput(Restore, await readJson(request));
  const result = await restoreRevision(locals.viewer, space, pagePath(request, space), restore);
  return json({ revision: result.revision, changed: result.changed }, result.changed ? 201 : 200);
});
