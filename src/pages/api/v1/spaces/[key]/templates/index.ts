// GET /api/v1/spaces/<key>/templates: the templates offered in the space (built-in and its own).
// POST: a space admin adds one of the space's own.
import type { APIRoute } from 'astro';
import { api, json, parseInput, readJson } from '../../../../../../server/http.ts';
import { createTemplate, listTemplates, TemplateBody } from '../../../../../../server/templates/templates.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(listTemplates(locals.viewer, params.key ?? '', locals.lang)));

export const POST: APIRoute = ({ locals, params, request }) => api(async () =>
  json(createTemplate(locals.viewer, params.key ?? '', parseInput(TemplateBody, await readJson(request))), 201));
