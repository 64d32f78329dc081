// Renders a page's (or a requirement description's) Markdown for storage: the same HTML for
// every reader, so it needs nothing from the database.
import { renderMarkdown, type Rendered } from '../markdown/render.ts';

/** `preview`: the editor's, whose blocks also say their source lines. */
export function renderPage(spaceKey: string, markdown: string, preview = false): Rendered {
  return renderMarkdown(markdown, { space: spaceKey, sourceLines: preview });
}
