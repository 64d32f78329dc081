import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { nudge } from '../../../../../server/requirements/nudge.ts';

// The body is optional: `{comment?}`.
export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const body = request.headers.get('content-type') ? await readJson(request) : {};
  const { nudgedAt } = nudge(locals.viewer, params.key ?? '', body);
  return json({ nudgedAt: new Date(nudgedAt).toISOString() }, 201);
});
