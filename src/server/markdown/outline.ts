// rehype plugins that run after sanitizing (so what they add is ours, not the author's):
// footnote id repair, heading ids + anchor links, a size cap on highlighting, and the preview's
// source lines.
import type { Element, ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import GithubSlugger from 'github-slugger';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { Heading } from './types.ts';

declare module 'vfile' {
  interface DataMap { headings: Heading[] }
}

const PREFIX = 'user-content-';
const CLOBBERED = ['id', 'name', 'ariaDescribedBy', 'ariaLabelledBy'];
/** Bigger code blocks are left unhighlighted: highlight.js time grows with them. */
const MAX_HIGHLIGHT_CHARS = 100_000;
// VitePress-style explicit id: `# Title {#my-id}`.
const CUSTOM_ID = /[ \t]*\{#([^\s{}#]+)\}[ \t]*$/;

/**
 * remark-rehype already prefixes footnote ids with `user-content-` and the sanitizer prefixes
 * every id again; hrefs carry one prefix. Collapse the double prefix so both sides match
 * (what remains is still prefixed, so clobbering stays impossible).
 */
export function rehypeFootnoteIds() {
  return function transform(tree: Root): undefined {
    visit(tree, 'element', (node) => {
      for (const key of CLOBBERED) {
        const value = node.properties[key];
        if (typeof value === 'string') node.properties[key] = unprefix(value);
        else if (Array.isArray(value)) node.properties[key] = value.map((v) => (typeof v === 'string' ? unprefix(v) : v));
      }
    });
  };
}

function unprefix(value: string): string {
  return value.startsWith(PREFIX + PREFIX) ? value.slice(PREFIX.length) : value;
}

export function rehypeHighlightLimit() {
  return function transform(tree: Root): undefined {
    visit(tree, 'element', (node, _index, parent) => {
      if (node.tagName !== 'code' || parent?.type !== 'element' || parent.tagName !== 'pre') return;
      if (toString(node).length <= MAX_HIGHLIGHT_CHARS) return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      node.properties.className = [...classes, 'no-highlight'];
    });
  };
}

export function headingDepth(node: Element): number {
  const t = node.tagName;
  return t.length === 2 && t[0] === 'h' && t[1]! >= '1' && t[1]! <= '6' ? Number(t[1]) : 0;
}

/** The `Footnotes` label remark-rehype puts in the footnote section is not a document heading. */
export function isFootnoteSection(node: Element): boolean {
  return node.tagName === 'section' && node.properties.dataFootnotes != null;
}

/** Gives every heading an id (github-slugger, or `{#id}`), an anchor link, and lists them. */
export function rehypeHeadings() {
  return function transform(tree: Root, file: VFile): undefined {
    const slugger = new GithubSlugger();
    const headings: Heading[] = [];
    const walk = (parent: Root | Element): void => {
      for (const child of parent.children) {
        if (child.type !== 'element' || isFootnoteSection(child)) continue;
        const depth = headingDepth(child);
        if (depth > 0) headings.push(label(child, depth, slugger));
        else walk(child);
      }
    };
    walk(tree);
    file.data.headings = headings;
  };
}

function label(node: Element, depth: number, slugger: GithubSlugger): Heading {
  let id = '';
  const last = node.children.at(-1);
  if (last?.type === 'text') {
    const custom = CUSTOM_ID.exec(last.value);
    if (custom) {
      last.value = last.value.slice(0, custom.index);
      id = custom[1]!;
    }
  }
  const text = toString(node).replace(/\s+/g, ' ').trim();
  // An id written in raw HTML has been prefixed by the sanitizer: keep it, like rehype-slug.
  const existing = node.properties.id;
  if (!id && typeof existing === 'string' && existing !== '') id = existing;
  if (!id) id = slugger.slug(text) || slugger.slug('heading');
  node.properties.id = id;
  const anchor: ElementContent = {
    type: 'element', tagName: 'a',
    // Hidden from screen readers (the heading says it all), so out of the tab order too: a stop
    // that announces nothing.
    properties: { className: ['anchor'], href: '#' + id, ariaHidden: 'true', tabIndex: -1 },
    children: [{ type: 'text', value: '#' }],
  };
  node.children.push(anchor);
  return { depth, id, text };
}

/** The editor's preview: each top-level block says the source line it starts on (`data-line`). */
export function rehypeSourceLines() {
  return function transform(tree: Root): undefined {
    for (const child of tree.children) {
      if (child.type === 'element' && child.position) child.properties.dataLine = child.position.start.line;
    }
  };
}
