import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { commentOn } from '../../../../../server/requirements/comment.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () =>
  json(commentOn(locals.viewer, params.key ?? '', await readJson(request)), 201));
