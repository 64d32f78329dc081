import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { addGroup } from '../../../../server/admin/groups.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';

const NewGroup = z.object({ name: z.string().max(64) });

export const POST: APIRoute = ({ locals, request }) => api(async () =>
  json(addGroup(locals.viewer, parseInput(NewGroup, await readJson(request)).name), 201));
