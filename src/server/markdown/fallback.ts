// The page as escaped source text: what a page shows when its Markdown cannot be rendered
// (too deeply nested for the tree utilities' recursion, or over a caller's time limit).
import type { RenderContext, Rendered, WikiRef } from './types.ts';
import { scanWikiLinks } from './wiki-links.ts';
import { scanRequirementKeys } from './requirement-keys.ts';
import { escapeHtml } from '../html.ts';

export function renderAsText(markdown: string, ctx: RenderContext): Rendered {
  // Still record outgoing wiki links, so backlinks survive.
  const links = new Map<string, WikiRef>();
  for (const m of scanWikiLinks(markdown)) {
    const ref = { space: m.space ?? ctx.space, title: m.title };
    links.set(ref.space + '\u0000' + ref.title, ref);
  }
  return {
    html: '<pre class="markdown-fallback">' + escapeHtml(markdown) + '</pre>',
    text: markdown,
    headings: [],
    links: [...links.values()],
    sections: [{ heading: '', anchor: '', text: markdown }],
    mentions: [...new Set(scanRequirementKeys(markdown).map((m) => m.key))],
  };
}
