import type { APIRoute } from 'astro';
import { userIdParam } from '../../../../../server/admin/handover.ts';
import { assertSiteAdminOr404, FIRST_ITEMS, userHoldings } from '../../../../../server/admin/holdings.ts';
import { api, json } from '../../../../../server/http.ts';
import { numberParam } from '../../../../../server/params.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => {
  assertSiteAdminOr404(locals.viewer);
  return json(userHoldings(locals.viewer, userIdParam(params.id), Math.min(numberParam(url.searchParams, 'limit', 1) ?? FIRST_ITEMS, 1000)));
});
