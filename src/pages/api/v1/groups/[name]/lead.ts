import type { APIRoute } from 'astro';
import { setGroupLead } from '../../../../../server/admin/groups.ts';
import { badInput } from '../../../../../server/errors.ts';
import { api, json, readJson } from '../../../../../server/http.ts';

// Desk: `{lead: "email" | null}`, site admins only.
export const PUT: APIRoute = ({ locals, params, request }) => api(async () => {
  const body = await readJson(request);
  if (!('lead' in body)) throw badInput('Send {"lead": "email"} or {"lead": null}');
  return json(setGroupLead(locals.viewer, params.name ?? '', body.lead));
});
