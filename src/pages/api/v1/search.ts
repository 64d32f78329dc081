import type { APIRoute } from 'astro';
import { api, json } from '../../../server/http.ts';
import { searchApi } from '../../../server/search/api.ts';

// The running server answers this path before Astro (src/server/plain-routes.ts); this is for `astro dev`.
export const GET: APIRoute = ({ locals, url }) => api(async () => json(await searchApi(locals.viewer, url.searchParams)));
