// The server entry Astro builds into dist/server/entry.mjs (index.ts): the handler to which
// scripts/lib/http-server.ts passes every request Astro answers, its body (if any) already read
// into `req.body` within its limit. It does what Astro's Node adapter did, without the work that
// cost a page view a fifth of its CPU for nothing (0.65 → 0.53 ms per view, side by side):
// - the route is looked for among the routes that start like the path (route-finder.ts), not by
//   trying all ~100 routes' patterns in turn, a page view's among the last;
// - each page module is imported once: Astro imports it again for every request, and importing a
//   module already loaded still goes through Node's module loader;
// - the request carries no abort signal (with its listeners on the socket): nothing here streams
//   or waits on the client.
// Its answer goes out with Node's reason phrase for its status: Astro's says "OK" for every page,
// its 404 page too ("HTTP/1.1 404 OK").
import type http from 'node:http';
import { createApp } from 'astro/app/entrypoint';
import { routeFinder } from './route-finder.ts';

export const app = createApp({ streaming: false });
const findRoute = routeFinder(app);

for (const [component, load] of app.manifest.pageMap ?? []) {
  let loaded: ReturnType<typeof load> | undefined;
  app.manifest.pageMap!.set(component, () => (loaded ??= load()));
}

function headersOf(req: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.append(name, value);
    else for (const v of value ?? []) headers.append(name, v);
  }
  return headers;
}

/** The web Request Astro renders; a Host header that makes no URL is answered as localhost. */
function requestOf(req: http.IncomingMessage & { body?: Buffer }): Request {
  const protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const asked = `${protocol}://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const url = URL.canParse(asked) ? asked : `${protocol}://localhost${req.url ?? '/'}`;
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : (req.body as Uint8Array<ArrayBuffer> | undefined);
  return new Request(url, { method: req.method, headers: headersOf(req), body });
}

/**
 * Astro's response on the socket; a client that goes away stops a streamed body. A streamed body
 * (an export) is read only as fast as the client takes it, so the server never holds more of it.
 */
async function send(response: Response, res: http.ServerResponse): Promise<void> {
  const headers: http.OutgoingHttpHeaders = Object.fromEntries(response.headers);
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 1) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  res.once('close', () => void reader.cancel().catch(() => {}));
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (!res.write(chunk.value) && !res.destroyed) await drained(res);
  }
  res.end();
}

/** Until the socket has taken what it was given, or is gone. */
function drained(res: http.ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function handler(req: http.IncomingMessage & { body?: Buffer }, res: http.ServerResponse, locals: Partial<App.Locals>): Promise<void> {
  try {
    const request = requestOf(req);
    const response = await app.render(request, { addCookieHeader: true, locals, routeData: findRoute(request) });
    await send(response, res);
  } catch (err) {
    console.error(`Could not render ${req.url}`, err);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal Server Error');
    } else {
      res.destroy();
    }
  }
}
