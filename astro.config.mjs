// @ts-check
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';

export default defineConfig({
  output: 'server',
  adapter: node({ mode: 'standalone' }),
  // Sign-in uses our own session table (src/server/auth), not Astro's general session store.
  session: undefined,
  security: { checkOrigin: true },
  server: { port: Number(process.env.PORT ?? 4321), host: process.env.HOST ?? 'localhost' },
  vite: {
    ssr: { external: ['better-sqlite3'] },
  },
});
