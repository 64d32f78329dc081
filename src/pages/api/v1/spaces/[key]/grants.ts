import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { setGrants, spaceGrants } from '../../../../../server/admin/grants.ts';
import { api, json, parseInput, readJson } from '../../../../../server/http.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(spaceGrants(locals.viewer, params.key ?? '')));

const Grants = z.array(z.object({ user: z.string().max(254).optional(), group: z.string().max(64).optional(), role: z.enum(['reader', 'editor', 'admin']) })).max(5000);

export const PUT: APIRoute = ({ locals, params, request }) => api(async () => {
  const body = await readJson(request, { array: true });
  return json(setGrants(locals.viewer, params.key ?? '', parseInput(Grants, body)));
});
