import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { transitionRequirement } from '../../../../../server/requirements/transition.ts';
import { getRequirement } from '../../../../../server/requirements/view.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const req = transitionRequirement(locals.viewer, params.key ?? '', await readJson(request));
  const { key, status, transitions } = getRequirement(locals.viewer, req.key);
  return json({ key, status, transitions });
});
