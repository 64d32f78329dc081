import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../../server/http.ts';
import { createWebhook, listWebhooks } from '../../../../../../server/notify/webhook-settings.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(listWebhooks(locals.viewer, params.key ?? '')));

export const POST: APIRoute = ({ locals, params, request }) => api(async () =>
  json(await createWebhook(locals.viewer, params.key ?? '', await readJson(request)), 201));
