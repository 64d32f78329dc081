// Every request: who is asking (session cookie or bearer token), which language, cross-site
// protection for writes, sign-in wall for pages, and security headers.
import { defineMiddleware } from 'astro:middleware';
import { SESSION_COOKIE, SESSION_TTL, validateSessionToken } from './server/auth/sessions.ts';
import { json } from './server/http.ts';
import { TOKEN_PREFIX, validateApiToken } from './server/auth/api-tokens.ts';
import { pickLang } from './i18n/index.ts';

const PUBLIC_PATHS = new Set(['/login', '/login/oidc', '/login/oidc/callback', '/healthz', '/api/v1/session']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function crossSite(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin) return origin !== url.origin;
  // Browsers always send Origin on cross-site writes; Sec-Fetch-Site is a second witness.
  const site = request.headers.get('sec-fetch-site');
  return site !== null && site !== 'same-origin' && site !== 'none';
}

export const onRequest = defineMiddleware(async (context, next) => {
  const { request, url, cookies, locals } = context;
  locals.lang = pickLang(cookies.get('lang')?.value, request.headers.get('accept-language'));
  locals.viewer = null;
  locals.sessionId = null;

  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const token = bearer ?? cookies.get(SESSION_COOKIE)?.value;
  if (bearer?.startsWith(TOKEN_PREFIX)) {
    locals.viewer = validateApiToken(bearer);
  } else if (token) {
    const session = validateSessionToken(token);
    if (session) {
      locals.viewer = session.viewer;
      locals.sessionId = session.sessionId;
      if (!bearer && session.refreshed) {
        cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', path: '/', maxAge: SESSION_TTL / 1000 });
      }
      if (session.viewer.locale && !cookies.get('lang')) locals.lang = pickLang(session.viewer.locale, null);
    } else if (!bearer) {
      cookies.delete(SESSION_COOKIE, { path: '/' });
    }
  }

  const isApi = url.pathname.startsWith('/api/');
  if (locals.viewer?.readOnly && !SAFE_METHODS.has(request.method)) return json({ error: 'This API token is read-only' }, 403);
  if (!SAFE_METHODS.has(request.method) && crossSite(request, url)) {
    return isApi ? json({ error: 'Cross-site requests are not allowed' }, 403) : new Response('Cross-site requests are not allowed', { status: 403 });
  }
  if (!locals.viewer && !PUBLIC_PATHS.has(url.pathname) && !url.pathname.startsWith('/_astro/') && url.pathname !== '/favicon.svg') {
    if (isApi) return json({ error: 'Sign in first' }, 401);
    return context.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }

  const response = await next();
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', 'DENY');
  if (!response.headers.has('cache-control') && !url.pathname.startsWith('/_astro/')) response.headers.set('cache-control', 'no-store');
  return response;
});
