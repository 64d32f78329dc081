// Every request: who is asking (session cookie or bearer token), which language, cross-site
// protection for writes, sign-in wall for pages, and security headers.
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import { authenticate, sessionCookieOptions } from './server/auth/request-auth.ts';
import { SESSION_COOKIE } from './server/auth/sessions.ts';
import { isCrossSite } from './server/auth/cross-site.ts';
import { errorBody, json, readForm, SECURITY_HEADERS } from './server/http.ts';
import { pickLang } from './i18n/index.ts';

const PUBLIC_PATHS = new Set(['/login', '/login/oidc', '/login/oidc/callback', '/healthz', '/api/v1/session', '/lang']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const crossSite = (request: Request, url: URL) => isCrossSite(request.headers.get('origin'), request.headers.get('sec-fetch-site'), url.host);

export const onRequest = defineMiddleware(async (context, next) => {
  let response: Response;
  try {
    response = await answer(context, next);
  } catch (err) {
    // A fault no route caught: the same kind of answer as every refusal, not Astro's bare 500.
    const { status, body, headers } = errorBody(err);
    response = context.url.pathname.startsWith('/api/') ? json(body, status, headers)
      : new Response(String(body.error), { status, headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' } });
  }
  // Every answer, early refusals and redirects included; a route's own (an attachment's
  // sandboxing policy) stands.
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
  if (!response.headers.has('cache-control') && !context.url.pathname.startsWith('/_astro/')) response.headers.set('cache-control', 'no-store');
  return response;
});

async function answer(context: APIContext, next: MiddlewareNext): Promise<Response> {
  const { request, url, cookies, locals } = context;
  // http-server.ts gives it (worked out when read); `astro dev` has no http-server.ts in front.
  if (!Object.hasOwn(locals, 'clientAddress')) locals.clientAddress = context.clientAddress;
  locals.asked ??= url.pathname + url.search; // a rewrite runs the middleware again
  locals.lang = pickLang(cookies.get('lang')?.value, request.headers.get('accept-language'));
  const auth = authenticate(request.headers.get('authorization'), cookies.get(SESSION_COOKIE)?.value);
  locals.viewer = auth.viewer;
  locals.sessionId = auth.sessionId;
  if (auth.cookie === 'clear') cookies.delete(SESSION_COOKIE, { path: '/' });
  else if (auth.cookie) cookies.set(SESSION_COOKIE, auth.cookie.set, sessionCookieOptions(url.protocol === 'https:'));
  if (auth.sessionId && auth.viewer?.locale && !cookies.get('lang')) locals.lang = pickLang(auth.viewer.locale, null);

  const isApi = url.pathname.startsWith('/api/');
  if (locals.viewer?.readOnly && !SAFE_METHODS.has(request.method)) return json({ error: 'This API token is read-only' }, 403);
  if (!SAFE_METHODS.has(request.method) && crossSite(request, url)) {
    return isApi ? json({ error: 'Cross-site requests are not allowed' }, 403) : new Response('Cross-site requests are not allowed', { status: 403 });
  }
  if (!locals.viewer && !PUBLIC_PATHS.has(url.pathname) && !url.pathname.startsWith('/_astro/') && url.pathname !== '/favicon.svg') {
    if (isApi) return json({ error: 'Sign in first' }, 401);
    return context.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  // Every POST to a page or /forms/* is an HTML form: read here once for every such route
  // (locals.form), so that another body is refused alike everywhere (415/400, thrown to the
  // handler above), not by each route. From a clone: a page may answer with another
  // (Astro.rewrite), which takes the body along unread.
  if (!isApi && request.method === 'POST' && !locals.form) locals.form = await readForm(request.clone());
  return next();
}
