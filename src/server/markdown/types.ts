// Public shapes of the renderer (re-exported by render.ts); kept apart so plugins can import them.
/** `space` is the page's own space when the link has no `space:` prefix. */
export interface WikiRef { space: string; title: string }
/**
 * What rendering may know: the page's own space, nothing about other pages or projects. Stored
 * HTML is the same for every reader; what depends on the reader is added when it is shown.
 */
export interface RenderContext {
  space: string;
  /** The editor's preview: each top-level block says the source line it starts on (`data-line`). */
  sourceLines?: boolean;
}
export interface Heading { depth: number; id: string; text: string }
/** Plain text split at h1–h3; the first section (heading '') holds text before the first heading. */
export interface Section { heading: string; anchor: string; text: string }
export interface Rendered {
  html: string; text: string; headings: Heading[]; links: WikiRef[]; sections: Section[];
  /** Requirement-key-shaped words in the text (PAY-12), whether or not such a project exists. */
  mentions: string[];
}
