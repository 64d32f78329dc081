import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { listNotifications } from '../../../../server/notify/inbox.ts';
import { numberParam } from '../../../../server/params.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(listNotifications(locals.viewer, {
  unreadOnly: ['1', 'true'].includes(url.searchParams.get('unread') ?? ''),
  before: numberParam(url.searchParams, 'before', 1),
  limit: numberParam(url.searchParams, 'limit', 1),
})));
