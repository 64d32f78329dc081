// Markdown → sanitized HTML, plain text, headings, sections and wiki refs, once per revision.
import type { Root as HastRoot } from 'hast';
import rehypeHighlight from 'rehype-highlight';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { guardSource } from './guards.ts';
import { pageHref } from './href.ts';
import { rehypeFootnoteIds, rehypeHeadings, rehypeHighlightLimit } from './outline.ts';
import { rehypeSafeSrcset, sanitizeSchema } from './sanitize-schema.ts';
import { remarkTagfilter } from './tagfilter.ts';
import { extractText } from './text.ts';
import type { RenderContext, Rendered, WikiRef } from './types.ts';
import { remarkWikiLinks, scanWikiLinks } from './wiki-links.ts';

export type { Heading, RenderContext, Rendered, Section, WikiRef, WikiTarget } from './types.ts';
export { pageHref };

// Built once: plugin attachers (highlight.js grammars especially) are not cheap.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkWikiLinks)
  .use(remarkTagfilter)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeSafeSrcset)
  .use(rehypeFootnoteIds)
  .use(rehypeHighlightLimit)
  .use(rehypeHighlight, { detect: false, aliases: { xml: ['vue'] } })
  .use(rehypeHeadings)
  .use(rehypeStringify, { characterReferences: { useNamedReferences: true } })
  .freeze();

export function renderMarkdown(markdown: string, ctx: RenderContext): Rendered {
  const file = new VFile({ value: guardSource(markdown) });
  file.data.wikiLinks = { ctx, links: new Map(), resolved: new Map() };
  try {
    const tree = processor.runSync(processor.parse(file), file) as HastRoot;
    const html = escapeAttributeBrackets(processor.stringify(tree, file));
    const { text, sections } = extractText(tree);
    return { html, text, headings: file.data.headings ?? [], links: [...file.data.wikiLinks.links.values()], sections };
  } catch (error) {
    // Trees nested deeper than the guards catch (raw HTML, inline nesting) overflow the stack
    // of the recursive tree utilities. Saving must not fail: show the source as text instead.
    if (error instanceof RangeError) return fallback(markdown, ctx);
    throw error;
  }
}

// A start tag as hast-util-to-html writes it: attribute values always double-quoted. Text never
// holds a raw `<` (it is written `&lt;`), so every match is a real tag.
const START_TAG = /<[a-zA-Z][^\s/>]*(?:\s+[^\s"'>/=]+(?:="[^"]*")?)*\s*\/?>/g;

/**
 * `<` and `>` are legal inside quoted attribute values, but HTML that is later re-serialized or
 * embedded elsewhere (mutation XSS) is safer without them; browsers now escape them too.
 */
function escapeAttributeBrackets(html: string): string {
  return html.replace(START_TAG, (tag) =>
    tag.includes('="') ? tag.replace(/="[^"]*"/g, (v) => v.replace(/</g, '&lt;').replace(/>/g, '&gt;')) : tag,
  );
}

function fallback(markdown: string, ctx: RenderContext): Rendered {
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
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}
