import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { updateUser } from '../../../../server/admin/users.ts';
import { badInput } from '../../../../server/errors.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';

const Patch = z.object({ active: z.boolean().optional(), admin: z.boolean().optional(), name: z.string().max(120).optional() });

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id < 1) throw badInput('A user id is a positive integer');
  return json(updateUser(locals.viewer, id, parseInput(Patch, await readJson(request))));
});
