// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import { MAX_FORM_BODY_BYTES } from './src/server/http.ts';

export default defineConfig({
  output: 'server',
  // Middleware mode: scripts/start.ts runs the HTTP server and serves the built client files itself
  // (known at start; standalone mode checks the disk for a static file before every page view).
  // Request bodies reach the adapter already read and within their limits (413 above them, sent by
  // the HTTP server of scripts/lib/http-server.ts); its own limit is a backstop at the largest.
  adapter: node({ mode: 'middleware', bodySizeLimit: MAX_FORM_BODY_BYTES, experimentalDisableStreaming: true }),
  // Astro's check refuses any body-less DELETE without an Origin header (API clients such as
  // curl); src/middleware.ts checks every unsafe request itself (Origin / Sec-Fetch-Site).
  security: {
    checkOrigin: false,
    // Astro adds hashes for its own scripts and styles to script-src and style-src; no inline
    // script or style of a page author can run (Markdown output is sanitized as well).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data: https:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
    },
  },
  // Every stylesheet a file of its own: inline ones are hashed for the CSP on every page view (Astro
  // digests each one per request, ~10 % of a page view's CPU, profiled), and are sent again with
  // every page instead of once, cached.
  build: { inlineStylesheets: 'never' },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  vite: {
    ssr: { external: ['better-sqlite3'] },
    // A build does not empty dist/ first: a server still running from the previous build keeps
    // the hashed assets (and server chunks) its pages reference. Names carry content hashes, so
    // old and new files sit side by side; `rm -rf dist` reclaims the old ones when no server runs.
    build: { emptyOutDir: false },
  },
});
