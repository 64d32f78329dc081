import type { APIRoute } from 'astro';
import { api, json } from '../../../../../../../../../server/http.ts';
import { resendDelivery } from '../../../../../../../../../server/notify/webhook-settings.ts';

export const POST: APIRoute = ({ locals, params }) => api(() =>
  json(resendDelivery(locals.viewer, params.key ?? '', Number(params.id), Number(params.deliveryId)), 202));
