import type { APIRoute } from 'astro';
import { answerResolution } from '../../../../../server/desk/resolution.ts';
import { api, json, readJson } from '../../../../../server/http.ts';
import { getRequirement } from '../../../../../server/requirements/view.ts';

// The reporter's answer to a resolution: `{action: "confirm" | "reopen", comment?}`.
export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const req = answerResolution(locals.viewer, params.key ?? '', await readJson(request));
  return json(getRequirement(locals.viewer, req.key, locals.lang));
});
