// Is a write coming from another site? The one test, for Astro's middleware and the plain handlers.
// Compared by host: behind a TLS-ending proxy the server's own scheme is not the page's.
export function isCrossSite(origin: string | null | undefined, secFetchSite: string | null | undefined, host: string | null | undefined): boolean {
  if (origin) {
    try { return new URL(origin).host !== host; } catch { return true; }
  }
  // Browsers always send Origin on cross-site writes; Sec-Fetch-Site is a second witness.
  return secFetchSite != null && secFetchSite !== 'same-origin' && secFetchSite !== 'none';
}
