import type { APIRoute } from 'astro';
import { userIdParam } from '../../../../../server/admin/handover.ts';
import { assertSiteAdminOr404, FIRST_ITEMS, userHoldings } from '../../../../../server/admin/holdings.ts';
import { api, json } from '../../../../../server/http.ts';
import { wholeNumber } from '../../../../../server/params.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => {
  assertSiteAdminOr404(locals.viewer);
  const limit = url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : FIRST_ITEMS;
  wholeNumber('limit', limit, 1);
  return json(userHoldings(locals.viewer, userIdParam(params.id), Math.min(limit, 1000)));
});
