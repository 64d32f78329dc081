import type { APIRoute } from 'astro';
import { api, json } from '../../../server/http.ts';
import { filterFromParams, myWork } from '../../../server/requirements/list.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => json(myWork(locals.viewer, filterFromParams(url.searchParams))));
