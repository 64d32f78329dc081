/// <reference types="astro/client" />
declare namespace App {
  interface Locals {
    viewer: import('./server/access/viewer.ts').Viewer | null;
    sessionId: string | null;
    lang: import('./i18n/index.ts').Lang;
    /** The client's IP: the socket peer, or X-Forwarded-For behind DOSSIER_TRUSTED_PROXIES (scripts/lib/http-server.ts). */
    clientAddress: string;
    /** The path and query asked for, kept when a page answers with another (Astro.rewrite). */
    asked: string;
    /** A page or form POST's form, read by src/middleware.ts (the only body those routes take). */
    form?: FormData;
  }
}
