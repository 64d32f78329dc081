import type { APIRoute } from 'astro';
import { loadDashboard } from '../../../../../server/dashboards/dashboard.ts';
import { api, json } from '../../../../../server/http.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(async () => json((await loadDashboard(locals.viewer, params.key ?? '', url.searchParams)).dashboard));
