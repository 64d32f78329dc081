import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { changePhase } from '../../../../../server/projects/phases.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () =>
  json(changePhase(locals.viewer, params.key ?? '', await readJson(request))));
