// GET /api/v1/revisions/<space>/<path>: the page's revisions, newest first (read); with
// ?include=ownership its owner, review and verification changes too, in time order (page-history.ts);
// with ?include=events every event of the page (those, and its moves, deletes and restores).
// POST the same with {restore: N}: a new revision equal to revision N (edit), through the normal save.
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, pathAfter, readJson } from '../../../../../server/http.ts';
import { oneOf } from '../../../../../server/params.ts';
import { listRevisions, restoreRevision } from '../../../../../server/pages/history.ts';
import { pageHistory } from '../../../../../server/pages/page-history.ts';

const pagePath = (request: Request, space: string) => pathAfter(request, `/api/v1/revisions/${encodeURIComponent(space)}`);

export const GET: APIRoute = ({ locals, params, request, url }) => api(() => {
  const space = params.space ?? '';
  const include = url.searchParams.get('include');
  if (include !== null) oneOf('include', include, ['ownership', 'events']);
  const at = (ms: number) => new Date(ms).toISOString();
  if (include === null) {
    return json(listRevisions(locals.viewer, space, pagePath(request, space))
      .map(({ revision, author, createdAt, message }) => ({ revision, author, createdAt: at(createdAt), message })));
  }
  // `ownership` is the older, narrower view: its lines keep the kind they were first published with.
  const ownership = include === 'ownership';
  const entries = pageHistory(locals.viewer, space, pagePath(request, space))
    .filter((e) => !ownership || e.kind === 'revision' || e.action === 'page.ownership' || e.action === 'page.handover');
  return json(entries.map((e) => (e.kind === 'revision'
    ? { kind: e.kind, revision: e.revision, author: e.author, createdAt: at(e.createdAt), message: e.message }
    : { kind: ownership ? 'ownership' : e.kind, action: e.action, author: e.author, createdAt: at(e.createdAt), changes: e.changes })));
});

const Restore = z.object({ restore: z.number().int().positive() });

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const space = params.space ?? '';
  const { restore } = parseInput(Restore, await readJson(request));
  const result = await restoreRevision(locals.viewer, space, pagePath(request, space), restore);
  return json({ revision: result.revision, changed: result.changed }, result.changed ? 201 : 200);
});
