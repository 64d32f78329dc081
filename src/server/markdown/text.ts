// Plain text of the rendered tree, for search: whole page and per h1–h3 section.
import type { Element, Root } from 'hast';
import { headingDepth, isFootnoteSection } from './outline.ts';
import type { Section } from './types.ts';

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'dd', 'details', 'div', 'dl', 'dt', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre',
  'section', 'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul',
]);

interface Draft { heading: string; anchor: string; parts: string[] }

export function extractText(tree: Root): { text: string; sections: Section[] } {
  const all: string[] = [];
  const drafts: Draft[] = [{ heading: '', anchor: '', parts: [] }];
  let current = drafts[0]!;
  const emit = (s: string): void => {
    all.push(s);
    current.parts.push(s);
  };

  const walk = (parent: Root | Element, sink: (s: string) => void, inFootnotes = false): void => {
    for (const child of parent.children) {
      if (child.type === 'text') {
        sink(child.value);
        continue;
      }
      if (child.type !== 'element' || isChrome(child)) continue;
      const depth = headingDepth(child);
      if (sink === emit && !inFootnotes && depth >= 1 && depth <= 3) {
        const parts: string[] = [];
        walk(child, (s) => parts.push(s));
        const heading = clean(parts.join(''));
        all.push('\n', heading, '\n');
        current = { heading, anchor: String(child.properties.id ?? ''), parts: [] };
        drafts.push(current);
        continue;
      }
      if (child.tagName === 'br') sink('\n');
      else if (child.tagName === 'img' && typeof child.properties.alt === 'string') sink(child.properties.alt);
      const block = BLOCK.has(child.tagName);
      const cell = child.tagName === 'td' || child.tagName === 'th';
      if (block) sink('\n');
      else if (cell) sink(' ');
      walk(child, sink, inFootnotes || isFootnoteSection(child));
      if (block) sink('\n');
    }
  };
  walk(tree, emit);

  return {
    text: clean(all.join('')),
    sections: drafts.map((d) => ({ heading: d.heading, anchor: d.anchor, text: clean(d.parts.join('')) })),
  };
}

/** Elements that are UI we added, not content: heading anchors, footnote back links and label. */
function isChrome(node: Element): boolean {
  const cls = node.properties.className;
  if (node.tagName === 'a') {
    if (node.properties.dataFootnoteBackref != null) return true;
    return Array.isArray(cls) && cls.includes('anchor') && node.properties.ariaHidden === 'true';
  }
  return node.tagName === 'h2' && Array.isArray(cls) && cls.includes('sr-only') && node.properties.id === 'user-content-footnote-label';
}

function clean(s: string): string {
  return s.replace(/[ \t]*\n[ \t]*/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}
