// GET/PUT/DELETE /api/v1/spaces/<key>/templates/<id>: one template (with its Markdown); a space
// admin replaces or deletes the space's own ones (built-in ones answer 422).
import type { APIRoute } from 'astro';
import { api, json, parseInput, readJson } from '../../../../../../server/http.ts';
import { deleteTemplate, getTemplate, TemplateBody, updateTemplate } from '../../../../../../server/templates/templates.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(getTemplate(locals.viewer, params.key ?? '', params.id ?? '', locals.lang)));

export const PUT: APIRoute = ({ locals, params, request }) => api(async () =>
  json(updateTemplate(locals.viewer, params.key ?? '', params.id ?? '', parseInput(TemplateBody, await readJson(request)))));

export const DELETE: APIRoute = ({ locals, params }) => api(() => {
  deleteTemplate(locals.viewer, params.key ?? '', params.id ?? '');
  return new Response(null, { status: 204 });
});
