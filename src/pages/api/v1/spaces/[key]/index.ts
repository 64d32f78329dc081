import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { updateSpace } from '../../../../../server/admin/spaces.ts';
import { api, json, parseInput, readJson } from '../../../../../server/http.ts';
import { deleteSpace } from '../../../../../server/spaces/delete-space.ts';
import { spaceSummary } from '../../../../../server/spaces/spaces.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => {
  const { key, name, kind, visibility, description, searchWeight, reference, reviewIntervalDays, archived, pageCount } = spaceSummary(locals.viewer, params.key ?? '');
  return json({ key, name, kind, visibility, description, searchWeight, reference, reviewIntervalDays, archived, pageCount });
});

const Patch = z.object({ visibility: z.string().optional(), name: z.string().max(120).optional(), description: z.string().max(2000).optional(), kind: z.string().optional(),
  searchWeight: z.number().optional(), reference: z.boolean().optional(), reviewIntervalDays: z.number().nullable().optional(), archived: z.boolean().optional() });

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () => {
  const { key, name, kind, visibility, description, searchWeight, reference, reviewIntervalDays, archived } = updateSpace(locals.viewer, params.key ?? '', parseInput(Patch, await readJson(request)));
  return json({ key, name, kind, visibility, description, searchWeight, reference, reviewIntervalDays, archived });
});

const Delete = z.object({ confirm: z.string().max(200) });

export const DELETE: APIRoute = ({ locals, params, request }) => api(async () => {
  const { confirm } = parseInput(Delete, await readJson(request));
  return json(await deleteSpace(locals.viewer, params.key ?? '', confirm));
});
