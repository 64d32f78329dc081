// Renders a page's (or a requirement description's) Markdown for storage: the same HTML for
// every reader, so it needs nothing from the database.
import { renderMarkdown, type Rendered } from '../markdown/render.ts';

export const MAX_MARKDOWN_BYTES = 2 * 1024 * 1024;

export function renderPage(spaceKey: string, markdown: string): Rendered {
  return renderMarkdown(markdown, { space: spaceKey });
}
