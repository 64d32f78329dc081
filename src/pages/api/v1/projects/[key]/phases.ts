import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { phasesOf, setPhases } from '../../../../../server/projects/phases.ts';
import { loadProject } from '../../../../../server/projects/projects.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(phasesOf(loadProject(locals.viewer, params.key ?? '').project)));

export const PUT: APIRoute = ({ locals, params, request }) => api(async () =>
  json(setPhases(locals.viewer, params.key ?? '', await readJson(request, { array: true }))));
