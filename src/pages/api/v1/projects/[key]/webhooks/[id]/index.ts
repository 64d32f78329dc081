import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../../../server/http.ts';
import { deleteWebhook, updateWebhook } from '../../../../../../../server/notify/webhook-settings.ts';

export const PATCH: APIRoute = ({ locals, params, request }) => api(async () =>
  json(updateWebhook(locals.viewer, params.key ?? '', Number(params.id), await readJson(request))));

export const DELETE: APIRoute = ({ locals, params }) => api(() => {
  deleteWebhook(locals.viewer, params.key ?? '', Number(params.id));
  return new Response(null, { status: 204 });
});
