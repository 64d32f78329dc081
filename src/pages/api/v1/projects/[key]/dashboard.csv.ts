import type { APIRoute } from 'astro';
import { dashboardCsv } from '../../../../../server/dashboards/dashboard.ts';
import { api } from '../../../../../server/http.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => dashboardCsv(locals.viewer, params.key ?? '', url.searchParams, locals.lang));
