import type { APIRoute } from 'astro';
import { api } from '../../../../../server/http.ts';
import { csvResponse, exportProjectCsv } from '../../../../../server/requirements/csv-export.ts';
import { filterFromParams } from '../../../../../server/requirements/list.ts';

export const GET: APIRoute = ({ locals, params, url }) => api(() =>
  csvResponse(exportProjectCsv(locals.viewer, params.key ?? '', filterFromParams(url.searchParams))));
