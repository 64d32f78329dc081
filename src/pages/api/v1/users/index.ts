import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { addUser } from '../../../../server/admin/users.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';

const NewUser = z.object({ email: z.string().max(254), name: z.string().max(120), password: z.string().max(1024).optional(), admin: z.boolean().optional() });

export const POST: APIRoute = ({ locals, request }) => api(async () =>
  json(await addUser(locals.viewer, parseInput(NewUser, await readJson(request))), 201));
