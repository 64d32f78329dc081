import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { projectSummary, setRules } from '../../../../../server/projects/projects.ts';
import type { RuleInput } from '../../../../../server/projects/routing.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(projectSummary(locals.viewer, params.key ?? '').rules));

export const PUT: APIRoute = ({ locals, params, request }) => api(async () =>
  json(setRules(locals.viewer, params.key ?? '', (await readJson(request, { array: true })) as RuleInput[])));
