import type { APIRoute } from 'astro';
import { dashboardCsv } from '../../../server/dashboards/dashboard.ts';
import { api } from '../../../server/http.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => dashboardCsv(locals.viewer, null, url.searchParams, locals.lang));
