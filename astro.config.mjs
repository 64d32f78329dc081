// @ts-check
import { defineConfig } from 'astro/config';
import dossierAdapter from './src/adapter/index.ts';

export default defineConfig({
  output: 'server',
  // Our own adapter (src/adapter/): scripts/start.ts runs the HTTP server, serves the built client
  // files itself and reads request bodies within their limits; Astro gets the rest.
  adapter: dossierAdapter(),
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
