/// <reference types="astro/client" />
declare namespace App {
  interface Locals {
    viewer: import('./server/access/viewer.ts').Viewer | null;
    sessionId: string | null;
    lang: import('./i18n/index.ts').Lang;
    /** The path and query asked for, kept when a page answers with another (Astro.rewrite). */
    asked: string;
  }
}
