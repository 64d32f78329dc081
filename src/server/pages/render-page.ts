// Renders a page's (or a requirement description's) Markdown for storage: the same HTML for
// every reader, so it needs nothing from the database.
import { renderMarkdown, type Rendered } from '../markdown/render.ts';

export function renderPage(spaceKey: string, markdown: string): Rendered {
  return renderMarkdown(markdown, { space: spaceKey });
}
