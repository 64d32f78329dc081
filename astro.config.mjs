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
  // src/middleware.ts checks every unsafe request itself (Origin / Sec-Fetch-Site): Astro's check
  // refuses any body-less DELETE without an Origin header (API clients such as curl). The
  // Content-Security-Policy is ours too (src/server/http.ts): with every script and stylesheet a
  // file of its own, it allows none inline and needs no per-page hashes.
  security: { checkOrigin: false },
  // Every stylesheet and script a file of its own, cached by the browser once instead of sent with
  // every page. Astro's own CSP digested each inline one (and each file's empty body) on every page
  // view, on the thread pool: ~10 % of a view's CPU, profiled.
  build: { inlineStylesheets: 'never' },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  vite: {
    ssr: { external: ['better-sqlite3'] },
    // A build does not empty dist/ first: a server still running from the previous build keeps
    // the hashed assets (and server chunks) its pages reference. Names carry content hashes, so
    // old and new files sit side by side; `rm -rf dist` reclaims the old ones when no server runs.
    build: { emptyOutDir: false, assetsInlineLimit: 0 },
  },
});
