import type { APIRoute } from 'astro';
import { dashboardFor } from '../../../../../server/dashboards/dashboard.ts';
import { api, json } from '../../../../../server/http.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() => json(dashboardFor(locals.viewer, params.key ?? '', url.searchParams).dashboard));
