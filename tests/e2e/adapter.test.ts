// Our Astro adapter (src/adapter/): its route finder against Astro's own matcher, on every route
// of the build (it may leave a path to Astro, never pick another route); its answers on the wire.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import type { RouteData } from 'astro';
import { describe, expect, it } from 'vitest';
import { serverEntry } from '../../scripts/lib/build.ts';
import { routeFinder } from '../../src/adapter/route-finder.ts';
import { base, signIn } from './http.ts';

type BuiltApp = Parameters<typeof routeFinder>[0] & { match(request: Request): RouteData | undefined };
const { app } = (await import(pathToFileURL(serverEntry).href)) as { app: BuiltApp };
const findRoute = routeFinder(app);

/** A path each route answers: its parameters filled in (a rest parameter with two segments). */
function pathFor(route: RouteData): string {
  const parts = route.segments.map((segment) => segment.map((p) => (p.spread ? 'a/b' : p.dynamic ? 'x1' : p.content)).join(''));
  return `/${parts.join('/')}`;
}

const extra = ['/', '/s/k/-/freshness', '/s/k/a', '/s/k/%E5%A4%87%E4%BB%BD/%E6%81%A2%E5%A4%8D', '/s/k/x%2541', '/p/PAY/board', '/p/PAY/PAY-1',
  '/api/v1/nope', '/nope/deeper', '//s/k/a', '/api/v1/dashboard.csv', '/_astro/x.js', '/s/', '/S/k/a'];

describe('route finder', () => {
  const paths = [...app.manifest.routes.map((r) => pathFor(r.routeData)), ...extra];

  it.each(paths)('%s: the route Astro would match, or left to Astro', (path) => {
    const request = new Request(`http://localhost${path}?q=1`);
    const found = findRoute(request);
    if (found) expect(found.route).toBe(app.match(request)?.route);
  });

  it('finds a page view and an API route itself', () => {
    for (const path of ['/s/k/a/b', '/s/k/%E5%A4%87%E4%BB%BD', '/api/v1/pages/k/a', '/p/PAY/PAY-1', '/']) {
      expect(findRoute(new Request(`http://localhost${path}`))?.route, path).toBe(app.match(new Request(`http://localhost${path}`))?.route);
      expect(findRoute(new Request(`http://localhost${path}`)), path).toBeDefined();
    }
  });

  it('leaves a path two routes match to Astro', () => {
    expect(findRoute(new Request('http://localhost/s/k/-/freshness'))).toBeUndefined();
    expect(app.match(new Request('http://localhost/s/k/-/freshness'))?.route).toBe('/s/[space]/-/freshness');
  });
});

describe('answers', () => {
  /** The status line as sent: fetch hides the reason phrase. */
  const statusLine = (path: string, cookie: string) => new Promise<string>((resolve, reject) => {
    http.get(`${base()}${path}`, { headers: { cookie } }, (res) => {
      res.resume();
      resolve(`${res.statusCode} ${res.statusMessage}`);
    }).on('error', reject);
  });

  it('sends each status with its own reason phrase, not "OK" for a page not found', async () => {
    const { cookie } = await signIn();
    expect(await statusLine('/no-such-route', cookie)).toBe('404 Not Found');
    expect(await statusLine('/s/guide/no-such-page', cookie)).toBe('404 Not Found'); // was "404 OK"
    expect(await statusLine('/s/no-such-space/page', cookie)).toBe('404 Not Found');
    expect(await statusLine('/', cookie)).toBe('200 OK');
    expect(await statusLine('/s/guide', '')).toBe('303 See Other');
  });

  it('answers an unknown API path, or a method a route does not answer, as the API does: JSON, not the HTML 404 page', async () => {
    const { cookie } = await signIn();
    const answer = async (path: string) => {
      const res = await fetch(`${base()}${path}`, { headers: { cookie } });
      return [res.status, res.headers.get('content-type'), await res.text()];
    };
    const missingSpace = await answer('/api/v1/spaces/no-such-space');
    expect(missingSpace).toEqual([404, 'application/json; charset=utf-8', '{"error":"Not found"}']);
    for (const path of ['/api/v1/nonexistent', '/api/v1/users', '/api/v2/pages/guide']) expect(await answer(path), path).toEqual(missingSpace);
  });
});
