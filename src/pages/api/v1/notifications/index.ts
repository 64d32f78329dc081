import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { listNotifications } from '../../../../server/notify/inbox.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(listNotifications(locals.viewer, {
  unreadOnly: ['1', 'true'].includes(url.searchParams.get('unread') ?? ''),
  before: Number(url.searchParams.get('before') ?? 0) || undefined,
  limit: Number(url.searchParams.get('limit') ?? 50),
})));
