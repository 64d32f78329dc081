import type { APIRoute } from 'astro';
import { listAudit } from '../../../server/admin/audit.ts';
import { api, json } from '../../../server/http.ts';
import { numberParam } from '../../../server/params.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(listAudit(locals.viewer, {
  actor: url.searchParams.get('actor') || undefined,
  action: url.searchParams.get('action') || undefined,
  limit: numberParam(url.searchParams, 'limit', 1),
})));
