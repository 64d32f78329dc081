// Dossier's Astro adapter: the server Astro builds is the request handler of dist/server/entry.mjs
// (server-entry.ts), served by our own HTTP server (scripts/lib/http-server.ts), which reads the
// built client files, request bodies and their limits before Astro sees a request. Astro's Node
// adapter, used before, wrapped the same App in work a page view paid for nothing (server-entry.ts).
import type { AstroIntegration } from 'astro';

export default function dossierAdapter(): AstroIntegration {
  return {
    name: 'dossier-adapter',
    hooks: {
      'astro:config:done': ({ setAdapter }) => setAdapter({
        name: 'dossier-adapter',
        entrypointResolution: 'auto',
        serverEntrypoint: new URL('./server-entry.ts', import.meta.url),
        adapterFeatures: { buildOutput: 'server' },
        supportedAstroFeatures: { serverOutput: 'stable', hybridOutput: 'stable', staticOutput: 'stable', envGetSecret: 'stable', sharpImageService: 'unsupported' },
      }),
    },
  };
}
