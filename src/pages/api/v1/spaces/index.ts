import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { archivedShown, includesArchived } from '../../../../server/archive/lists.ts';
import { createSpace } from '../../../../server/admin/spaces.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';
import { listSpaces } from '../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals, url }) => api(() =>
  json(archivedShown(listSpaces(locals.viewer), includesArchived(url.searchParams)).rows
    .map(({ key, name, kind, visibility, archived }) => ({ key, name, kind, visibility, archived }))));

const NewSpace = z.object({ key: z.string().max(64), name: z.string().max(120), kind: z.string().optional(), visibility: z.string().optional(), description: z.string().max(2000).optional() });

export const POST: APIRoute = ({ locals, request }) => api(async () => {
  const { key, name, kind, visibility } = createSpace(locals.viewer, parseInput(NewSpace, await readJson(request)));
  return json({ key, name, kind, visibility }, 201);
});
