import type { APIRoute } from 'astro';
import { api } from '../../../server/http.ts';
import { csvResponse, exportMyWorkCsv } from '../../../server/requirements/csv-export.ts';
import { filterFromParams } from '../../../server/requirements/list.ts';

export const GET: APIRoute = ({ locals, url }) => api(() => csvResponse(exportMyWorkCsv(locals.viewer, filterFromParams(url.searchParams))));
