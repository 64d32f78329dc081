import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { setGroupMembers } from '../../../../../server/admin/groups.ts';
import { api, json, parseInput, readJson } from '../../../../../server/http.ts';

const Members = z.object({ emails: z.array(z.string().max(254)).max(10_000) });

export const PUT: APIRoute = ({ locals, params, request }) => api(async () =>
  json(setGroupMembers(locals.viewer, params.name ?? '', parseInput(Members, await readJson(request)).emails)));
