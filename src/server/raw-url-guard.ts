// URL parsing resolves "..", "%2e%2e" and "%2E." segments before Astro sees the request, so
// "/s/it/a/%2e%2e/b" would quietly become "/s/it/b"; and the router cannot match paths with
// encoded control characters. Both are client errors: answer 400 here, on the raw request line.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$|\?|#)/i;
const ENCODED_CONTROL = /%(0[0-9a-f]|1[0-9a-f]|7f)/i;

/** Dot segments (resolved away by URL parsing) or control characters (CR/LF, NUL…) in the path. */
export function isRefusedRawPath(rawUrl: string): boolean {
  const path = rawUrl.split(/[?#]/, 1)[0]!;
  return DOT_SEGMENT.test(path) || ENCODED_CONTROL.test(path);
}

export function guardRawUrls(server: Server): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isRefusedRawPath(req.url ?? '/')) {
      const api = (req.url ?? '').startsWith('/api/');
      res.writeHead(400, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8' });
      const message = 'A path may not contain "." or ".." segments or control characters';
      res.end(api ? JSON.stringify({ error: message }) : message);
      return;
    }
    for (const handler of handlers) handler(req, res);
  });
}
