import type { APIRoute } from 'astro';
import { api, json } from '../../../../../../../server/http.ts';
import { listDeliveries } from '../../../../../../../server/notify/webhook-settings.ts';
import { numberParam } from '../../../../../../../server/params.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => json(listDeliveries(locals.viewer, params.key ?? '', Number(params.id), {
  limit: numberParam(url.searchParams, 'limit', 1),
  before: numberParam(url.searchParams, 'before', 1),
})));
