import type { APIRoute } from 'astro';
import { SESSION_COOKIE, invalidateSession } from '../server/auth/sessions.ts';

export const POST: APIRoute = ({ locals, cookies, redirect }) => {
  if (locals.sessionId) invalidateSession(locals.sessionId);
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return redirect('/login', 303);
};
