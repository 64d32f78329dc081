import type { APIRoute } from 'astro';
import { api, json, readJson } from '../../../../server/http.ts';
import { getPrefs, setPrefs } from '../../../../server/mail/prefs.ts';

export const GET: APIRoute = ({ locals }) => api(() => json(getPrefs(locals.viewer)));

export const PUT: APIRoute = ({ locals, request }) => api(async () => json(setPrefs(locals.viewer, await readJson(request))));
