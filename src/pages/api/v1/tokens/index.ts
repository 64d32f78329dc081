import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { createApiToken, listApiTokens } from '../../../../server/auth/api-tokens.ts';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';

export const GET: APIRoute = ({ locals }) => api(() => json(listApiTokens(locals.viewer)));

const NewToken = z.object({ name: z.string().max(100), readOnly: z.boolean().optional() });

export const POST: APIRoute = ({ locals, request }) => api(async () =>
  json(createApiToken(locals.viewer, parseInput(NewToken, await readJson(request))), 201));
