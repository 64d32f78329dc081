// POST /api/v1/imports/interrupted/<key>/keep: the space an import left unfinished is kept as it is
// (site admins): it is no longer listed as unfinished (content-io/interrupted-imports.ts).
import type { APIRoute } from 'astro';
import { keepInterruptedImport } from '../../../../../../server/content-io/interrupted-imports.ts';
import { api, json } from '../../../../../../server/http.ts';

export const POST: APIRoute = ({ locals, params }) => api(() => json(keepInterruptedImport(locals.viewer, params.key ?? '')));
