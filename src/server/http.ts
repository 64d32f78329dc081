// HTTP helpers for routes: JSON bodies with size and encoding limits, and the one mapping
// from domain errors to responses.
import { maxImportBytes, maxUploadBytes } from './config.ts';
import { DomainError, badInput, tooLarge } from './errors.ts';

// The largest request bodies, enforced while they stream by the HTTP server in front of Astro
// (scripts/lib/http-server.ts: 413 above). A JSON body, a multipart upload or anything else: a
// 2 MB page or CSV file plus its envelope.
export const MAX_BODY_BYTES = 2 * 1024 * 1024 + 64 * 1024;
// A url-encoded form (the page editor): percent-encoding can triple a 2 MB page, line breaks go
// as CRLF, and the other fields come along.
export const MAX_FORM_BODY_BYTES = 8 * 1024 * 1024;

export const UPLOADS = '/api/v1/attachments/';
export const IMPORTS = '/api/v1/imports';

/**
 * POST /api/v1/attachments/<space>/<path>: an attachment upload (src/server/attachments/upload.ts),
 * and POST /api/v1/imports: a space's archive (content-io/import-archive.ts), each streamed to disk
 * by its plain handler (plain-routes.ts). No other request is one: a DELETE or PATCH of an
 * attachment has the limit of any other body.
 */
export function isUpload(method: string | undefined, pathname: string): boolean {
  return method === 'POST' && (pathname.startsWith(UPLOADS) || pathname === IMPORTS);
}

export function maxBodyBytes(method: string | undefined, contentType: string | undefined, pathname: string): number {
  // The file's own limit plus its envelope.
  if (isUpload(method, pathname)) return (pathname === IMPORTS ? maxImportBytes() : maxUploadBytes()) + 64 * 1024;
  return /^application\/x-www-form-urlencoded\b/i.test(contentType ?? '') ? MAX_FORM_BODY_BYTES : MAX_BODY_BYTES;
}

/** Sent with every response: by the middleware, and by the plain handlers (plain-routes.ts). */
/**
 * Every answer's. Scripts and styles only from our own files (astro.config.mjs builds none inline):
 * no inline script, event handler or style element runs, whatever a page's content holds.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin', 'x-frame-options': 'DENY',
};

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}

async function readCapped(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge(`The request body is larger than ${limit} bytes`);
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(`The request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJson(request: Request, opts: { array: true }): Promise<unknown[]>;
export async function readJson(request: Request): Promise<Record<string, unknown>>;
export async function readJson(request: Request, opts: { array?: boolean } = {}): Promise<Record<string, unknown> | unknown[]> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) throw new DomainError(415, 'Send JSON with Content-Type: application/json');
  const bytes = await readCapped(request, MAX_BODY_BYTES);
  let text: string;
  try { text = utf8.decode(bytes); } catch { throw badInput('The body is not valid UTF-8'); }
  let data: unknown;
  try { data = JSON.parse(text); } catch { throw badInput('The body is not valid JSON'); }
  if (opts.array) {
    if (!Array.isArray(data)) throw badInput('The body must be a JSON array');
    return data;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw badInput('The body must be a JSON object');
  return data as Record<string, unknown>;
}

const FORM_TYPE = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * A posted HTML form (every page and form POST: src/middleware.ts). Any other body is the client's
 * mistake, never a failing page: 415 for another content type, 400 for one that is not a form.
 */
export async function readForm(request: Request): Promise<FormData> {
  if (!FORM_TYPE.test(request.headers.get('content-type') ?? '')) {
    throw new DomainError(415, 'Send a form: Content-Type application/x-www-form-urlencoded or multipart/form-data');
  }
  try { return await request.formData(); } catch { throw badInput('The body is not a valid form'); }
}

/**
 * The one mapping from an error to an HTTP status, JSON body and headers: a `retryAfter`
 * (seconds) in the body is sent as the Retry-After header too.
 */
export function errorBody(err: unknown): { status: number; body: Record<string, unknown>; headers: Record<string, string> } {
  if (err instanceof DomainError) {
    const body: Record<string, unknown> = { error: err.message, ...err.extra };
    return { status: err.status, body, headers: typeof body.retryAfter === 'number' ? { 'retry-after': String(body.retryAfter) } : {} };
  }
  console.error(err);
  return { status: 500, body: { error: 'Something went wrong on the server' }, headers: {} };
}

export function errorResponse(err: unknown): Response {
  const { status, body, headers } = errorBody(err);
  return json(body, status, headers);
}

/** Runs a route body, mapping domain errors to JSON responses. */
export async function api(fn: () => Response | Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    return errorResponse(err);
  }
}

/**
 * The page path after `prefix` in the request's raw URL, each segment percent-decoded exactly
 * once (Astro.url has already been decoded, which would turn "%25" into an ambiguous "%").
 */
export function pathAfter(request: Request, prefix: string): string {
  const raw = new URL(request.url).pathname.slice(prefix.length).replace(/^\/+|\/+$/g, '');
  try {
    return raw === '' ? '' : raw.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw badInput('The path is not valid percent-encoding');
  }
}

/** Validates input with a zod schema; the first problem becomes a 400 naming the field. */
export function parseInput<T>(schema: { safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, data: unknown): T {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw badInput(issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message);
}
