// URL parsing resolves "..", "%2e%2e" and "%2E." segments before Astro sees the request, so
// "/s/it/a/%2e%2e/b" would quietly become "/s/it/b"; and the router cannot match paths with
// encoded control characters. Both are client errors: the server (scripts/lib/http-server.ts)
// answers 400 on the raw request line.

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$|\?|#)/i;
const ENCODED_CONTROL = /%(0[0-9a-f]|1[0-9a-f]|7f)/i;

/** Dot segments (resolved away by URL parsing) or control characters (CR/LF, NUL…) in the path. */
export function isRefusedRawPath(rawUrl: string): boolean {
  const path = rawUrl.split(/[?#]/, 1)[0]!;
  return DOT_SEGMENT.test(path) || ENCODED_CONTROL.test(path);
}
