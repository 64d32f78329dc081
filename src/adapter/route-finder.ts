// Which route answers a request, found among the routes whose first path segment could match the
// path's, instead of Astro trying every route's pattern in turn (a page view's route, a catch-all,
// is among the last of ~100). Astro orders routes by priority; rather than depend on that order,
// a route is taken here only when it is the one route that matches. Otherwise (a path two routes
// match, such as /s/<space>/-/freshness; or none) the answer is undefined and Astro matches the
// request itself, with all its rules.
import type { RouteData } from 'astro';

interface RoutingApp {
  manifest: { routes: { routeData: RouteData }[] };
  /** The path without the site's base, decoded as Astro decodes it. */
  getPathnameFromRequest(request: Request): string;
}

/** A route's first segment when it is plain text ('' for the root route), else null: any first segment. */
function firstSegment(route: RouteData): string | null {
  const first = route.segments[0];
  if (!first) return '';
  return first.length === 1 && !first[0]!.dynamic && !first[0]!.spread ? first[0]!.content : null;
}

export function routeFinder(app: RoutingApp): (request: Request) => RouteData | undefined {
  const routes = app.manifest.routes.map((r) => r.routeData).filter((r) => !r.prerender && r.fallbackRoutes.length === 0);
  const anyFirst = routes.filter((r) => firstSegment(r) === null);
  const byFirst = new Map<string, RouteData[]>();
  for (const route of routes) {
    const first = firstSegment(route);
    if (first !== null) byFirst.set(first, [...(byFirst.get(first) ?? anyFirst), route]);
  }
  return (request) => {
    const pathname = app.getPathnameFromRequest(request);
    if (pathname.startsWith('//')) return undefined; // Astro redirects it
    const candidates = byFirst.get(pathname.split('/', 2)[1] ?? '') ?? anyFirst;
    let found: RouteData | undefined;
    for (const route of candidates) {
      if (!route.pattern.test(pathname)) continue;
      if (found) return undefined;
      found = route;
    }
    return found;
  };
}
