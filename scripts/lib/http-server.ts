// The HTTP server of `npm start`: the built client files (a set known at start, so a page view
// costs no disk check) served directly, search by its plain handler (src/server/plain-routes.ts),
// everything else handed to Astro's request handler (the Node adapter in middleware mode).
// Raw request lines are checked first (raw-url-guard). Astro gets the client's address in
// `locals.clientAddress`, worked out here from the socket (client-address.ts).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import send from 'send';
import { clientAddress, parseTrustedProxies } from '../../src/server/auth/client-address.ts';
import { plainRoute } from '../../src/server/plain-routes.ts';
import { isRefusedRawPath } from '../../src/server/raw-url-guard.ts';

export type AppHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: undefined, locals: Partial<App.Locals>) => Promise<void>;

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

function refuse(req: http.IncomingMessage, res: http.ServerResponse, message: string): void {
  const api = (req.url ?? '').startsWith('/api/');
  res.writeHead(400, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8' });
  res.end(api ? JSON.stringify({ error: message }) : message);
}

export function createHttpServer(app: AppHandler, clientDir: string): http.Server {
  const files = clientFiles(clientDir);
  const trusted = parseTrustedProxies(process.env.DOSSIER_TRUSTED_PROXIES);
  return http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (isRefusedRawPath(url)) return refuse(req, res, 'A path may not contain "." or ".." segments or control characters');
    try { decodeURI(url); } catch { return refuse(req, res, 'The URL is not valid percent-encoding'); }
    const pathname = url.split(/[?#]/, 1)[0]!;
    const file = (req.method === 'GET' || req.method === 'HEAD') ? files.get(pathname) : undefined;
    if (file) {
      // Built assets carry a content hash in their names: cache them for good.
      const hashed = pathname.startsWith('/_astro/');
      send(req, file, { immutable: hashed, maxAge: hashed ? '1y' : '1h', index: false }).pipe(res);
      return;
    }
    const plain = plainRoute(req);
    if (plain) return void plain(res);
    // Astro's own clientAddress would believe X-Forwarded-For from anyone once allowedDomains is set.
    void app(req, res, undefined, { clientAddress: clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], trusted) });
  });
}
