// The HTTP server of `npm start`: the built client files (a set known at start, so a page view
// costs no disk check) served directly, search by its plain handler (src/server/plain-routes.ts),
// everything else handed to Astro (the handler of our adapter, src/adapter/server-entry.ts).
// Every request passes the checks here first: its method, its raw request line (raw-url-guard),
// and its body, read whole up to its limit before Astro sees it (an attachment upload streams to
// disk in its plain handler instead, within its own limit). Astro gets the client's address
// in `locals.clientAddress`, worked out here from the socket (client-address.ts).
// Page views give way to the other requests (PAGE_VIEWS_PER_TURN): see there.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import send from 'send';
import { clientAddress, parseTrustedProxies } from '../../src/server/auth/client-address.ts';
import { maxBodyBytes, SECURITY_HEADERS } from '../../src/server/http.ts';
import { drainBody } from '../../src/server/node-http.ts';
import { isFormUpload, plainRoute } from '../../src/server/plain-routes.ts';
import { isRefusedRawPath } from '../../src/server/raw-url-guard.ts';
import { pageViewGate } from './page-view-gate.ts';

/** The built server's handler (src/adapter/server-entry.ts): a request body, if any, already read into `req.body`. */
export type AppHandler = (req: http.IncomingMessage & { body?: Buffer }, res: http.ServerResponse, locals: Partial<App.Locals>) => Promise<void>;

/**
 * Page views rendered per pass of the event loop while other requests are being answered
 * (page-view-gate.ts). Measured with bench:mixed (50 readers, 10 searchers, 5 writers): 2 per
 * pass gave readers 85 req/s and searches 6.3× their idle p50; 4 gave 143–156 req/s and 5.4×;
 * 8 gave 268 req/s and 7.8×.
 */
const PAGE_VIEWS_PER_TURN = 4;

/** DOSSIER_PAGE_VIEWS_PER_TURN overrides it; 0 sets no limit. */
function pageViewsPerTurn(): number {
  const n = Number(process.env.DOSSIER_PAGE_VIEWS_PER_TURN ?? PAGE_VIEWS_PER_TURN);
  return Number.isInteger(n) && n > 0 ? n : n === 0 ? Infinity : PAGE_VIEWS_PER_TURN;
}

const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
const METHODS = new Set(ALLOW.split(', '));

/** URL path → file, for every file under the built client folder. */
function clientFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(`/${path.relative(dir, file).split(path.sep).join('/')}`, file);
  }
  return files;
}

/** A client error answered here: JSON for the API, plain text for pages and forms. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const api = (req.url ?? '').startsWith('/api/');
  res.writeHead(status, { ...SECURITY_HEADERS, 'cache-control': 'no-store', 'content-type': api ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8', ...headers });
  res.end(api ? JSON.stringify({ error: message }) : message);
}

const PARSE_ERRORS: Record<string, [status: string, message: string]> = {
  HPE_INVALID_METHOD: ['405 Method Not Allowed', 'The method is not allowed'],
  HPE_HEADER_OVERFLOW: ['431 Request Header Fields Too Large', 'The request headers are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ['413 Payload Too Large', 'The chunk extensions are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: ['408 Request Timeout', 'The request took too long'],
};

/** For requests Node cannot hand to the request handler: CONNECT and unparsable ones. */
function refuseOnSocket(socket: Duplex, status: string, message: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status}\r\n${headers}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\nConnection: close\r\n\r\n${message}`, () => socket.destroy());
}

/** 413, then the rest of the body is dropped as it comes (drainBody). */
function refuseBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  refuse(req, res, 413, `The request body is larger than ${limit} bytes`);
  drainBody(req);
}

/**
 * The body, counted as it streams (any content type, with or without Content-Length); null when
 * it is larger than its limit (answered 413 at once) or the client went away before its end.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      refuseBody(req, res, limit);
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    // An aborted upload: nobody is left to answer, and Astro never sees it.
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(null));
  });
}

export function createHttpServer(app: AppHandler, clientDir: string): http.Server {
  const files = clientFiles(clientDir);
  // A build finished while this server runs keeps the old hashed assets (emptyOutDir: false in
  // astro.config.mjs), so the pages this server renders keep theirs; an asset it did not know at
  // start (a page module first loaded after that build) is looked for once on disk.
  function newAsset(pathname: string): string | undefined {
    const name = /^\/_astro\/([\w.-]+)$/.exec(pathname)?.[1];
    if (!name || name.startsWith('.')) return undefined;
    const file = path.join(clientDir, '_astro', name);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return undefined;
    files.set(pathname, file);
    return file;
  }
  const trusted = parseTrustedProxies(process.env.DOSSIER_TRUSTED_PROXIES);
  const gate = pageViewGate(pageViewsPerTurn());
  /** Rendered when its turn comes (at once, unless other requests are being answered). */
  const viewPage = (req: http.IncomingMessage, res: http.ServerResponse, locals: Partial<App.Locals>) =>
    gate.pageView(() => app(req, res, locals));
  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? '';
    if (!METHODS.has(method)) return refuse(req, res, 405, `The method ${method} is not allowed`, { allow: ALLOW });
    const url = req.url ?? '/';
    if (isRefusedRawPath(url)) return refuse(req, res, 400, 'A path may not contain "." or ".." segments or control characters');
    try { decodeURI(url); } catch { return refuse(req, res, 400, 'The URL is not valid percent-encoding'); }
    const pathname = url.split(/[?#]/, 1)[0]!;
    const limit = maxBodyBytes(method, req.headers['content-type'], pathname);
    if (Number(req.headers['content-length'] ?? 0) > limit && !isFormUpload(req)) return refuseBody(req, res, limit);
    if (method === 'GET' || method === 'HEAD') {
      const file = files.get(pathname) ?? newAsset(pathname);
      if (file) {
        // Built assets carry a content hash in their names: cache them for good.
        const hashed = pathname.startsWith('/_astro/');
        // Relative to the client folder: given a whole path, send refuses any file below a folder
        // whose name starts with a dot (~/.apps/dossier/dist/…) as a "dotfile".
        send(req, path.relative(clientDir, file), { root: clientDir, immutable: hashed, maxAge: hashed ? '1y' : '1h', index: false }).pipe(res);
        return;
      }
    }
    // Astro's own clientAddress would believe X-Forwarded-For from anyone once allowedDomains is set.
    // Worked out when asked (signing in), not for every page view.
    const locals = { get clientAddress() { return clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], trusted); } };
    const plain = plainRoute(req);
    // Astro reads no body for a GET or HEAD.
    if ((method === 'GET' || method === 'HEAD') && !plain && !pathname.startsWith('/api/')) return viewPage(req, res, locals);
    return gate.other(async () => {
      if (plain) return plain(res); // a search, a file, or an upload, which streams its own body
      if (method === 'GET' || method === 'HEAD') return app(req, res, locals);
      const body = await readBody(req, res, limit);
      if (!body) return;
      return app(Object.assign(req, { body }), res, locals);
    });
  }
  const server = http.createServer((req, res) => void handle(req, res));
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => refuseOnSocket(socket, '405 Method Not Allowed', 'The method CONNECT is not allowed', `Allow: ${ALLOW}\r\n`));
  // Node's own answers to requests it cannot parse, except that an unknown method is a 405.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, message] = PARSE_ERRORS[err.code ?? ''] ?? ['400 Bad Request', 'The request is not valid HTTP'];
    refuseOnSocket(socket, status, message, status.startsWith('405') ? `Allow: ${ALLOW}\r\n` : '');
  });
  return server;
}
