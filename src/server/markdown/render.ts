// Markdown → sanitized HTML, plain text, headings, sections and wiki refs, once per revision.
import type { Root as HastRoot } from 'hast';
import rehypeHighlight from 'rehype-highlight';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { Data } from 'vfile';
import { remarkChartBlocks } from './chart-blocks.ts';
import { renderAsText } from './fallback.ts';
import { guardSource } from './guards.ts';
import { rehypeRawWhenNeeded } from './raw-when-needed.ts';
import { pageHref } from './href.ts';
import { rehypeFootnoteIds, rehypeHeadings, rehypeHighlightLimit, rehypeSourceLines } from './outline.ts';
import { rehypeSafeSrcset, sanitizeSchema } from './sanitize-schema.ts';
import { remarkTagfilter } from './tagfilter.ts';
import { rehypeTaskLabels } from './task-lists.ts';
import { extractText } from './text.ts';
import type { RenderContext, Rendered } from './types.ts';
import { remarkWikiLinks } from './wiki-links.ts';
import { remarkRequirementKeys } from './requirement-keys.ts';

export type { Heading, RenderContext, Rendered, Section, WikiRef } from './types.ts';
export { pageHref };

// Built once: plugin attachers (highlight.js grammars especially) are not cheap.
const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkChartBlocks)
  .use(remarkWikiLinks)
  .use(remarkRequirementKeys)
  .use(remarkTagfilter)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRawWhenNeeded)
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeSafeSrcset)
  .use(rehypeTaskLabels)
  .use(rehypeFootnoteIds)
  .use(rehypeHighlightLimit)
  .use(rehypeHighlight, { detect: false, aliases: { xml: ['vue'] } })
  .use(rehypeHeadings)
  .use(rehypeStringify, { characterReferences: { useNamedReferences: true } })
  .freeze();
// The preview's: the same, then source lines on the blocks, so that the preview can follow the
// editor's cursor (stored HTML has none: it would change with every edit above a block).
const previewProcessor = processor().use(rehypeSourceLines).freeze();

export function renderMarkdown(markdown: string, ctx: RenderContext): Rendered {
  const value = guardSource(markdown);
  // Per-render state for the plugins travels in the file's data (the processor is shared).
  const data: Data = { wikiLinks: { ctx, links: new Map() } };
  try {
    const chosen = ctx.sourceLines ? previewProcessor : processor;
    const tree = chosen.runSync(chosen.parse(value), { value, data }) as HastRoot;
    const html = escapeAttributeBrackets(chosen.stringify(tree));
    const { text, sections } = extractText(tree);
    return { html, text, headings: data.headings ?? [], links: [...data.wikiLinks!.links.values()], sections, mentions: [...(data.mentions ?? [])] };
  } catch (error) {
    // Trees nested deeper than the guards catch (raw HTML, inline nesting) overflow the stack
    // of the recursive tree utilities. Saving must not fail: show the source as text instead.
    if (error instanceof RangeError) return renderAsText(markdown, ctx);
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
