import type { APIRoute } from 'astro';
import { z } from 'astro/zod';
import { SESSION_COOKIE, createSession, invalidateSession } from '../../../server/auth/sessions.ts';
import { sessionCookieOptions } from '../../../server/auth/request-auth.ts';
import { signIn } from '../../../server/auth/users.ts';
import { api, json, parseInput, readJson } from '../../../server/http.ts';

const SignIn = z.object({ email: z.string().max(254), password: z.string().max(4096) });

export const POST: APIRoute = ({ request, cookies, url, locals }) => api(async () => {
  const { email, password } = parseInput(SignIn, await readJson(request));
  const userId = await signIn(email, password, locals.clientAddress);
  const { token, expiresAt } = createSession(userId);
  cookies.set(SESSION_COOKIE, token, sessionCookieOptions(url.protocol === 'https:'));
  return json({ token, expiresAt });
});

export const DELETE: APIRoute = ({ locals, cookies }) => api(() => {
  if (locals.sessionId) invalidateSession(locals.sessionId);
  cookies.delete(SESSION_COOKIE, { path: '/' });
  return new Response(null, { status: 204 });
});
