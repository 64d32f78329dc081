// GET/PUT /api/v1/synonyms: the site's search synonym groups (site admins).
import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { api, json, parseInput, readJson } from '../../../server/http.ts';
import { getSynonyms, setSynonyms } from '../../../server/search/synonyms.ts';

export const GET: APIRoute = ({ locals }) => api(() => json({ groups: getSynonyms(locals.viewer) }));

// Shapes and limits are checked by setSynonyms (one place for the API and the admin page).
const Put = z.object({ groups: z.unknown() });

export const PUT: APIRoute = ({ locals, request }) => api(async () => {
  const { groups } = parseInput(Put, await readJson(request));
  return json({ groups: await setSynonyms(locals.viewer, groups) });
});
