import type { APIRoute } from 'astro';
import { deskSettings, setTagAliases } from '../../../../../server/desk/settings.ts';
import { api, json, readJson } from '../../../../../server/http.ts';

// Desk settings (README "Desk: claim, tags, SLA, escalation"): anyone who reads the project sees them; its admins set them.
export const GET: APIRoute = ({ locals, params }) => api(() => json(deskSettings(locals.viewer, params.key ?? '')));

export const PUT: APIRoute = ({ locals, params, request }) => api(async () => json(setTagAliases(locals.viewer, params.key ?? '', await readJson(request))));
