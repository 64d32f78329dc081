// GET /login/oidc/callback: back from the identity provider; sign in and go on.
import type { APIRoute } from 'astro';
import { finishOidcSignIn } from '../../../server/auth/oidc.ts';
import { callbackUrl } from '../../../server/auth/public-url.ts';
import { SESSION_COOKIE, createSession } from '../../../server/auth/sessions.ts';
import { sessionCookieOptions } from '../../../server/auth/request-auth.ts';
import { DomainError } from '../../../server/errors.ts';

export const GET: APIRoute = async ({ url, cookies, redirect }) => {
  const received = new URL(callbackUrl(url));
  received.search = url.search;
  try {
    const { userId, next } = await finishOidcSignIn(received);
    const { token } = createSession(userId);
    cookies.set(SESSION_COOKIE, token, sessionCookieOptions(received.protocol === 'https:'));
    return redirect(next, 303);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // The sign-in page shows a fixed reason, never text from its URL (anyone can send a link to
    // /login?error=…); the provider's own words are for the server's log.
    console.warn(`[dossier] single sign-on refused: ${err.message}`);
    return redirect(`/login?error=${encodeURIComponent(String(err.extra.code ?? 'ssoFailed'))}`, 303);
  }
};
