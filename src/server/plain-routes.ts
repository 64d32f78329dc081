// The hottest JSON read, search as you type, answered by a plain Node handler in front of Astro
// (scripts/lib/http-server.ts): Astro's pipeline (web Request and Response objects, route
// matching, page module loading) costs about a millisecond of CPU per request, as much as all the
// rest of a search. The handler does what the middleware does for a GET (who is asking, the
// sign-in wall, the session cookie, security headers) with the same functions, then calls the
// same domain function as the Astro route.
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { Viewer } from './access/index.ts';
import { authenticate, sessionCookieOptions } from './auth/request-auth.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';
import { unauthorized } from './errors.ts';
import { errorBody, SECURITY_HEADERS } from './http.ts';
import { searchApi } from './search/api.ts';

type JsonRead = (viewer: Viewer, params: URLSearchParams) => Promise<unknown>;
const ROUTES = new Map<string, JsonRead>([['/api/v1/search', searchApi]]);

/** The plain handler for this request, if one answers it; Astro handles everything else. */
export function plainRoute(req: http.IncomingMessage): ((res: http.ServerResponse) => Promise<void>) | undefined {
  if (req.method !== 'GET') return undefined;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const read = ROUTES.get(q < 0 ? url : url.slice(0, q));
  return read && ((res) => answer(read, req, res, new URLSearchParams(q < 0 ? '' : url.slice(q + 1))));
}

async function answer(read: JsonRead, req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
  const auth = authenticate(req.headers.authorization ?? null, parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE]);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (auth.cookie === 'clear') headers['set-cookie'] = stringifySetCookie({ name: SESSION_COOKIE, value: '', path: '/', maxAge: 0 });
  else if (auth.cookie) {
    const secure = (req.socket as TLSSocket).encrypted === true;
    headers['set-cookie'] = stringifySetCookie({ name: SESSION_COOKIE, value: auth.cookie.set, ...sessionCookieOptions(secure) });
  }
  let status = 200;
  let body: unknown;
  try {
    if (!auth.viewer) throw unauthorized();
    body = await read(auth.viewer, params);
  } catch (err) {
    ({ status, body } = errorBody(err));
  }
  const bytes = Buffer.from(JSON.stringify(body)); // encoded once, for its length and to send
  res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
  res.end(bytes);
}
