// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  // Middleware mode: scripts/start.ts runs the HTTP server and serves the built client files itself
  // (known at start; standalone mode checks the disk for a static file before every page view).
  // The body limit is a backstop: JSON routes stop reading at 2 MB + envelope and answer 413 themselves.
  adapter: node({ mode: 'middleware', bodySizeLimit: 8 * 1024 * 1024, experimentalDisableStreaming: true }),
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
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  vite: {
    ssr: { external: ['better-sqlite3'] },
  },
});
