import type { APIRoute } from 'astro';
import { dashboardFor } from '../../../server/dashboards/dashboard.ts';
import { api, json } from '../../../server/http.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(dashboardFor(locals.viewer, null, url.searchParams).dashboard));
