import type { APIRoute } from 'astro';
import { api, json } from '../../../../server/http.ts';
import { numberParam } from '../../../../server/params.ts';
import { recentlyViewed } from '../../../../server/recent/recent.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(recentlyViewed(locals.viewer, numberParam(url.searchParams, 'limit', 1))));
