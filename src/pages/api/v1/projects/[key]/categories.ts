import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { projectSummary, setCategories } from '../../../../../server/projects/projects.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(projectSummary(locals.viewer, params.key ?? '').categories));

export const PUT: APIRoute = ({ locals, params, request }) => api(async () =>
  json(setCategories(locals.viewer, params.key ?? '', await readJson(request, { array: true }))));
