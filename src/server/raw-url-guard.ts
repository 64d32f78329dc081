// URL parsing resolves "..", "%2e%2e" and "%2E." segments before Astro sees the request, so
// "/s/it/a/%2e%2e/b" would quietly become "/s/it/b". A path with dot segments is a client error:
// answer 400 here, on the raw request line, before anything normalizes it.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$|\?|#)/i;

export function hasDotSegment(rawUrl: string): boolean {
  const path = rawUrl.split(/[?#]/, 1)[0]!;
  return DOT_SEGMENT.test(path);
}

export function guardRawUrls(server: Server): void {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (hasDotSegment(req.url ?? '/')) {
      const api = (req.url ?? '').startsWith('/api/');
      res.writeHead(400, { 'content-type': api ? 'application/json' : 'text/plain; charset=utf-8' });
      res.end(api ? JSON.stringify({ error: 'A path may not contain "." or ".." segments' }) : 'A path may not contain "." or ".." segments');
      return;
    }
    for (const handler of handlers) handler(req, res);
  });
}
