import type { APIRoute } from 'astro';
import { revokeApiToken } from '../../../../server/auth/api-tokens.ts';
import { api } from '../../../../server/http.ts';

export const DELETE: APIRoute = ({ locals, params }) => api(() => {
  revokeApiToken(locals.viewer, params.id ?? '');
  return new Response(null, { status: 204 });
});
