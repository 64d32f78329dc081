import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../../server/http.ts';
import { importRequirements } from '../../../../../server/requirements/csv-import.ts';

export const POST: APIRoute = ({ locals, params, request }) => api(async () => {
  const result = await importRequirements(locals.viewer, params.key ?? '', await readJson(request));
  return json(result, 'keys' in result ? 201 : 200);
});
