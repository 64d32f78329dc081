// Public shapes of the renderer (re-exported by render.ts); kept apart so plugins can import them.
export interface WikiTarget { space: string; path: string; title: string }
/** `space` is the page's own space when the link has no `space:` prefix. */
export interface WikiRef { space: string; title: string }
/** `resolve` is synchronous: it runs inside the unified transform. */
export interface RenderContext {
  space: string;
  resolve(ref: WikiRef): WikiTarget | null;
  /** Keys of existing projects: `PAY-12` becomes a requirement link only when PAY is one. */
  projectKeys?: ReadonlySet<string>;
}
export interface Heading { depth: number; id: string; text: string }
/** Plain text split at h1–h3; the first section (heading '') holds text before the first heading. */
export interface Section { heading: string; anchor: string; text: string }
export interface Rendered {
  html: string; text: string; headings: Heading[]; links: WikiRef[]; sections: Section[];
  /** Requirement keys named in the text (PAY-12). */
  mentions: string[];
}
