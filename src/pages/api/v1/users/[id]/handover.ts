import type { APIRoute } from 'astro';
import { HandoverBody, handOver, userIdParam } from '../../../../../server/admin/handover.ts';
import { assertSiteAdminOr404 } from '../../../../../server/admin/holdings.ts';
import { api, json, parseInput, readJson } from '../../../../../server/http.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  assertSiteAdminOr404(locals.viewer); // before reading the body: to anyone else the route does not exist
  const id = userIdParam(params.id);
  return json(handOver(locals.viewer, id, parseInput(HandoverBody, await readJson(request))));
});
