import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { setProjectArchived } from '../../../../../server/archive/archive.ts';
import { api, json, parseInput, readJson } from '../../../../../server/http.ts';
import { projectSummary } from '../../../../../server/projects/projects.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(projectSummary(locals.viewer, params.key ?? '')));

const Patch = z.object({ archived: z.boolean() });

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () => {
  const { archived } = parseInput(Patch, await readJson(request));
  return json(setProjectArchived(locals.viewer, params.key ?? '', archived));
});
