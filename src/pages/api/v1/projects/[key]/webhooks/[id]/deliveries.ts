import type { APIRoute } from 'astro';
import { api, json } from '../../../../../../../server/http.ts';
import { listDeliveries } from '../../../../../../../server/notify/webhook-settings.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => json(listDeliveries(locals.viewer, params.key ?? '', Number(params.id), {
  limit: Number(url.searchParams.get('limit') ?? 50),
  before: Number(url.searchParams.get('before') ?? 0) || undefined,
})));
