import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { filterFromParams, listRequirements } from '../../../../../server/requirements/list.ts';
import { submitRequirement } from '../../../../../server/requirements/submit.ts';
import { getRequirement } from '../../../../../server/requirements/view.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() =>
  json(listRequirements(locals.viewer, params.key ?? '', filterFromParams(url.searchParams))));

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const req = await submitRequirement(locals.viewer, params.key ?? '', await readJson(request));
  const { key, status, assignee, group, routedBy } = getRequirement(locals.viewer, req.key);
  return json({ key, status, assignee, group, routedBy }, 201);
});
