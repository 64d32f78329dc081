import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, readJson } from '../../../../server/http.ts';
import { markRead, unreadCount } from '../../../../server/notify/inbox.ts';

const Read = z.object({ ids: z.array(z.number().int().positive()).max(1000).optional() });

export const POST: APIRoute = ({ locals, request }) => api(async () => {
  const { ids } = parseInput(Read, await readJson(request));
  const marked = markRead(locals.viewer, ids);
  return json({ marked, unread: unreadCount(locals.viewer!.id) });
});
