import type { APIRoute } from 'astro';
import { claimRequirement } from '../../../../../server/desk/claim.ts';
import { api, json } from '../../../../../server/http.ts';

// "Take it": the caller becomes the assignee and the queue is cleared. No body.
export const POST: APIRoute = ({ locals, params }) => api(() => json(claimRequirement(locals.viewer, params.key ?? '')));
