import type { APIRoute } from 'astro';
import { orphans } from '../../../../server/admin/holdings.ts';
import { api, json } from '../../../../server/http.ts';

export const GET: APIRoute = ({ locals }) => api(() => json(orphans(locals.viewer)));
