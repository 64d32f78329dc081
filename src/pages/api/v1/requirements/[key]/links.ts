import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { linkPage, unlinkPage } from '../../../../../server/requirements/links.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const { linked } = linkPage(locals.viewer, params.key ?? '', await readJson(request));
  return json({ linked }, linked ? 201 : 200);
});

export const DELETE: APIRoute = ({ locals, params, request }) => api(async () =>
  json(unlinkPage(locals.viewer, params.key ?? '', await readJson(request))));
