// Requests answered by plain Node handlers in front of Astro (scripts/lib/http-server.ts):
// - search as you type, the hottest JSON read: Astro's pipeline (web Request and Response objects,
//   route matching, page module loading) costs about a millisecond of CPU per request, as much as
//   all the rest of a search;
// - attachment files (`/files/<id>/<name>`), streamed from disk with `send` (ranges, ETags);
// - attachment uploads, whose bodies stream to disk here instead of being read whole first;
// - archive imports, and how far the running ones have come, which must be asked of this same
//   module: the built Astro routes hold copies of the server's modules, and their own state.
// Each does what the middleware does (who is asking, the sign-in wall, read-only tokens,
// cross-site writes, the session cookie, security headers) with the same functions, then calls
// the same domain function as its Astro route.
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import { parseCookie, stringifySetCookie } from 'cookie';
import send from 'send';
import type { Viewer } from './access/index.ts';
import { fileIdFrom, prepareDownload } from './attachments/serve.ts';
import { uploadAttachment, uploadRefusal, uploadTooLarge } from './attachments/upload.ts';
import { importStatus, importTooLarge, importUploadedArchive } from './content-io/import-archive.ts';
import { assertSiteAdminOr404 } from './admin/holdings.ts';
import { authenticate, sessionCookieOptions } from './auth/request-auth.ts';
import { SESSION_COOKIE } from './auth/sessions.ts';
import { DomainError, forbidden, unauthorized } from './errors.ts';
import { errorBody, IMPORTS, isUpload, maxBodyBytes, SECURITY_HEADERS, UPLOADS } from './http.ts';
import { pageHref } from './markdown/href.ts';
import { isCrossSite } from './auth/cross-site.ts';
import { drainBody } from './node-http.ts';
import { searchApi } from './search/api.ts';

type Handler = (res: http.ServerResponse) => Promise<void>;
type JsonRead = (viewer: Viewer, params: URLSearchParams) => Promise<unknown>;
const ROUTES = new Map<string, JsonRead>([['/api/v1/search', searchApi], [IMPORTS, async (viewer) => importStatus(viewer)]]);

/** The plain handler for this request, if one answers it; Astro handles everything else. */
export function plainRoute(req: http.IncomingMessage): Handler | undefined {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const pathname = q < 0 ? url : url.slice(0, q);
  // Parsed only for a request answered here: every page view passes by.
  const params = () => new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  if (req.method === 'GET') {
    const read = ROUTES.get(pathname);
    if (read) return (res) => answerJson(req, res, (viewer) => read(viewer, params()).then((body) => ({ status: 200, body })));
  }
  if ((req.method === 'GET' || req.method === 'HEAD') && pathname.startsWith('/files/')) return (res) => serveFile(req, res, pathname, params());
  if (isUpload(req.method, pathname)) return (res) => (pathname === IMPORTS ? importUpload(req, res, params()) : upload(req, res, pathname, params()));
  return undefined;
}

/**
 * The page's plain upload form (`?back=1`): even when its declared length is over the limit it is
 * answered here, with a way back to its page, rather than by the front door's bare 413.
 */
export function isFormUpload(req: http.IncomingMessage): boolean {
  const url = req.url ?? '';
  return isUpload(req.method, url) && new URLSearchParams(url.slice(url.indexOf('?') + 1 || url.length)).get('back') === '1';
}

/** Who is asking, and the headers every answer carries (security, the sliding session cookie). */
function ask(req: http.IncomingMessage): { viewer: Viewer | null; headers: Record<string, string> } {
  const auth = authenticate(req.headers.authorization ?? null, parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE]);
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'cache-control': 'no-store' };
  if (auth.cookie === 'clear') headers['set-cookie'] = stringifySetCookie({ name: SESSION_COOKIE, value: '', path: '/', maxAge: 0 });
  else if (auth.cookie) {
    const secure = (req.socket as TLSSocket).encrypted === true;
    headers['set-cookie'] = stringifySetCookie({ name: SESSION_COOKIE, value: auth.cookie.set, ...sessionCookieOptions(secure) });
  }
  return { viewer: auth.viewer, headers };
}

interface JsonAnswer { status: number; body: unknown; headers?: Record<string, string> }

/** `refused` may answer an error otherwise (a form's redirect back to its page). */
async function answerJson(req: http.IncomingMessage, res: http.ServerResponse, run: (viewer: Viewer) => Promise<JsonAnswer>, refused?: (err: unknown) => JsonAnswer | undefined): Promise<void> {
  const { viewer, headers } = ask(req);
  let answer: JsonAnswer;
  try {
    if (!viewer) throw unauthorized();
    answer = await run(viewer);
  } catch (err) {
    answer = refused?.(err) ?? errorBody(err);
  }
  const bytes = Buffer.from(JSON.stringify(answer.body)); // encoded once, for its length and to send
  res.writeHead(answer.status, { ...headers, ...answer.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(bytes.length) });
  res.end(bytes);
}

async function serveFile(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, params: URLSearchParams): Promise<void> {
  const { viewer, headers } = ask(req);
  if (!viewer) {
    res.writeHead(303, { ...headers, location: `/login?next=${encodeURIComponent(req.url ?? '/')}` });
    return void res.end();
  }
  try {
    const download = await prepareDownload(viewer, fileIdFrom(pathname), params.get('original') === '1');
    // `send` answers ranges, ETag revalidation and HEAD; the type and caching are ours.
    for (const [name, value] of Object.entries({ ...headers, ...download.headers })) res.setHeader(name, value);
    send(req, download.file, { cacheControl: false, lastModified: false, index: false, dotfiles: 'allow' })
      .on('error', () => fail(res, 404))
      .pipe(res);
  } catch (err) {
    const answer = errorBody(err);
    fail(res, answer.status, { ...headers, ...answer.headers });
  }
}

function fail(res: http.ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.destroy();
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, 'content-type': 'text/plain; charset=utf-8' });
  res.end(status === 404 ? 'Not found' : 'The file cannot be sent');
}

/** Space key and page path after the prefix, each segment percent-decoded exactly once. */
function spaceAndPath(pathname: string): { space: string; path: string } {
  let segments: string[];
  try { segments = pathname.slice(UPLOADS.length).split('/').filter(Boolean).map(decodeURIComponent); } catch { segments = []; }
  return { space: segments[0] ?? '', path: segments.slice(1).join('/') };
}

const crossSite = (req: http.IncomingMessage) => isCrossSite(req.headers.origin, req.headers['sec-fetch-site'] as string | undefined, req.headers.host);

/** What an upload is checked for before its body is read: a token that may write, a request from this site, a declared size within its route's limit. */
function assertUploadAllowed(req: http.IncomingMessage, viewer: Viewer, pathname: string, tooLarge: () => DomainError): void {
  if (viewer.readOnly) throw forbidden('This API token is read-only');
  if (crossSite(req)) throw new DomainError(403, 'Cross-site requests are not allowed');
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes(req.method, undefined, pathname)) throw tooLarge();
}

/**
 * POST /api/v1/attachments/<space>/<path>: 201 with the attachment. The page's plain upload form
 * (no JavaScript) sends `?back=1` and goes back to the page: at once, or with
 * `?uploadError=<reason>` said there in the reader's language. A refusal is answered at once, and
 * what the client is still sending is drained so that it reads the answer.
 */
async function upload(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, params: URLSearchParams): Promise<void> {
  const { space, path } = spaceAndPath(pathname);
  const page = pageHref(space, path);
  const back = params.get('back') === '1';
  res.once('finish', () => { if (!req.complete) drainBody(req); });
  await answerJson(req, res, async (viewer) => {
    assertUploadAllowed(req, viewer, pathname, uploadTooLarge);
    const attachment = await uploadAttachment(viewer, space, path, req.headers, req);
    if (back) return { status: 303, body: attachment, headers: { location: page } };
    return { status: 201, body: attachment };
  }, back ? (err) => backToPage(err, page) : withCode);
}

/**
 * POST /api/v1/imports (multipart: `file`, a zip; `space`, the new space's key, else the archive's
 * folder name): 201 with what was imported. Site admins only, decided before the body is read.
 * Admin → Spaces' plain form sends `?back=1`: it goes to the new space, or back saying why
 * (`?importError=<code>` and the refusal's figures).
 */
async function importUpload(req: http.IncomingMessage, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
  const back = params.get('back') === '1';
  res.once('finish', () => { if (!req.complete) drainBody(req); });
  await answerJson(req, res, async (viewer) => {
    assertSiteAdminOr404(viewer); // first: anyone else meets the same 404 whatever they send
    assertUploadAllowed(req, viewer, IMPORTS, importTooLarge);
    const report = await importUploadedArchive(viewer, req.headers, req);
    return back ? { status: 303, body: report, headers: { location: pageHref(report.space, '') } } : { status: 201, body: report };
  }, back ? backToAdmin : undefined);
}

/** Where a refused plain import goes: back to Admin → Spaces with the refusal's code and figures, said there in the admin's language. */
function backToAdmin(err: unknown): JsonAnswer | undefined {
  if (!(err instanceof DomainError) || err.status === 404) return undefined;
  if (err.status === 401) return { status: 303, body: { error: err.message }, headers: { location: '/login?next=%2Fadmin%2Fspaces' } };
  const said = new URLSearchParams({ importError: String(err.extra.code ?? 'other') });
  for (const [name, value] of Object.entries(err.extra)) if (name !== 'code' && (typeof value === 'string' || typeof value === 'number')) said.set(name, String(value));
  return { status: 303, body: { error: err.message }, headers: { location: `/admin/spaces?${said}#import` } };
}

/** An API upload's refusal also names its reason (`code`, one of UPLOAD_REFUSALS), for the editor to say in the writer's language. */
function withCode(err: unknown): JsonAnswer | undefined {
  if (!(err instanceof DomainError) || err.status === 401 || err.status === 404) return undefined;
  const answer = errorBody(err);
  return { ...answer, body: { ...answer.body, code: uploadRefusal(err) } };
}

/** Where a refused plain upload goes: to sign in, or back to its page saying why; a page the viewer may not read answers 404 as ever. */
function backToPage(err: unknown, page: string): JsonAnswer | undefined {
  if (!(err instanceof DomainError) || err.status === 404) return undefined;
  const location = err.status === 401 ? `/login?next=${encodeURIComponent(page)}` : `${page}?uploadError=${uploadRefusal(err)}#attachments`;
  return { status: 303, body: { error: err.message }, headers: { location } };
}
