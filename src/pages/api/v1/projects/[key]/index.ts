import type { APIRoute } from 'astro';
import { api, json } from '../../../../../server/http.ts';
import { projectSummary } from '../../../../../server/projects/projects.ts';

export const GET: APIRoute = ({ locals, params }) => api(() => json(projectSummary(locals.viewer, params.key ?? '')));
