// Who is asking: an API token or session token as Bearer, else the session cookie. Shared by the
// Astro middleware and the plain request handlers (src/server/plain-routes.ts), so both decide alike.
import type { Viewer } from '../access/viewer.ts';
import { TOKEN_PREFIX, validateApiToken } from './api-tokens.ts';
import { SESSION_TTL, validateSessionToken } from './sessions.ts';

export interface RequestAuth {
  viewer: Viewer | null;
  sessionId: string | null;
  /** What to do with the session cookie: slide its expiry (with this token), clear a dead one, or nothing. */
  cookie: { set: string } | 'clear' | null;
}

export function authenticate(authorization: string | null, sessionCookie: string | undefined): RequestAuth {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (bearer?.startsWith(TOKEN_PREFIX)) return { viewer: validateApiToken(bearer), sessionId: null, cookie: null };
  const token = bearer ?? sessionCookie;
  if (!token) return { viewer: null, sessionId: null, cookie: null };
  const session = validateSessionToken(token);
  if (!session) return { viewer: null, sessionId: null, cookie: bearer ? null : 'clear' };
  return { viewer: session.viewer, sessionId: session.sessionId, cookie: !bearer && session.refreshed ? { set: token } : null };
}

/** The session cookie's attributes, wherever it is set. */
export function sessionCookieOptions(secure: boolean) {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_TTL / 1000 } as const;
}
