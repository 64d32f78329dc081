// GET /api/v1/revisions/<space>/<path>: the page's revisions, newest first (read); with
// ?include=ownership its owner, review and verification changes too, in time order (page-history.ts).
// POST the same with {restore: N}: a new revision equal to revision N (edit), through the normal save.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, pathAfter, readJson } from '../../../../../server/http.ts';
import { badInput } from '../../../../../server/errors.ts';
import { listRevisions, restoreRevision } from '../../../../../server/pages/history.ts';
import { pageHistory } from '../../../../../server/pages/page-history.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/revisions/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request, url }) => api(() => {
  const space = params.space ?? '';
  const include = url.searchParams.get('include');
  if (include !== null && include !== 'ownership') throw badInput('include: the only value is "ownership"');
  const at = (ms: number) => new Date(ms).toISOString();
  if (include === null) {
    return json(listRevisions(locals.viewer, space, pagePath(request, space))
      .map(({ revision, author, createdAt, message }) => ({ revision, author, createdAt: at(createdAt), message })));
  }
  return json(pageHistory(locals.viewer, space, pagePath(request, space)).map((e) => (e.kind === 'revision'
    ? { kind: e.kind, revision: e.revision, author: e.author, createdAt: at(e.createdAt), message: e.message }
    : { kind: e.kind, action: e.action, author: e.author, createdAt: at(e.createdAt), changes: e.changes })));
});

const Restore = z.object({ restore: z.number().int().positive() });

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const { restore } = parseInput(Restore, await readJson(request));
  const result = await restoreRevision(locals.viewer, space, pagePath(request, space), restore);
  return json({ revision: result.revision, changed: result.changed }, result.changed ? 201 : 200);
});
