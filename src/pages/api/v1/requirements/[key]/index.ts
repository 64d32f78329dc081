import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { editRequirement } from '../../../../../server/requirements/edit.ts';
import { getRequirement, prepareRequirementCharts } from '../../../../../server/requirements/view.ts';

export const GET: APIRoute = ({ locals, params }) => api(async () => {
  await prepareRequirementCharts(locals.viewer, params.key ?? '');
  return json(getRequirement(locals.viewer, params.key ?? '', locals.lang));
});

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () => {
  const req = await editRequirement(locals.viewer, params.key ?? '', await readJson(request));
  return json(getRequirement(locals.viewer, req.key, locals.lang));
});
