// remark plugin: `[[Title]]`, `[[space:Title]]`, `[[Title#anchor|label]]` in text nodes → links.
import type { Link, PhrasingContent, Root } from 'mdast';
import type { VFile } from 'vfile';
import { replaceInText } from './replace-in-text.ts';
import { missingPageHref, slugify } from './href.ts';
import type { RenderContext, WikiRef } from './types.ts';

export interface WikiLinkState {
  ctx: RenderContext;
  /** Outgoing refs, deduplicated; a Map so titles like `__proto__` are plain keys. */
  links: Map<string, WikiRef>;
}

declare module 'vfile' {
  interface DataMap { wikiLinks: WikiLinkState }
}

export interface WikiLinkMatch {
  start: number;
  end: number;
  space: string | null;
  title: string;
  anchor: string;
  label: string | null;
}

const SPACE_KEY = /^[a-z0-9-]{1,64}$/;
const MAX_TITLE = 200;
// Control characters (newlines included) never belong in a title.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Every well-formed `[[...]]` in `text`, left to right (the first `limit` of them). Linear: each
 * character is looked at a bounded number of times, so `[[` × 50k costs one scan.
 */
export function scanWikiLinks(text: string, limit = Infinity): WikiLinkMatch[] {
  const found: WikiLinkMatch[] = [];
  let pos = 0;
  while (found.length < limit) {
    const open = text.indexOf('[[', pos);
    if (open < 0) break;
    const close = text.indexOf(']]', open + 2);
    if (close < 0) break; // no `]]` anywhere after: nothing later can close either
    // The innermost `[[` before this `]]` wins: `[[a [[b]]` links only `b`.
    const start = text.lastIndexOf('[[', close - 2);
    const parsed = parseInner(text.slice(start + 2, close));
    if (parsed) found.push({ start, end: close + 2, ...parsed });
    pos = close + 2;
  }
  return found;
}

function parseInner(inner: string): Omit<WikiLinkMatch, 'start' | 'end'> | null {
  if (inner === '' || CONTROL.test(inner) || inner.includes('[') || inner.includes(']')) return null;
  const bar = inner.indexOf('|');
  // In a table cell the bar is written `\|` (a bare one would end the cell); Markdown drops the backslash.
  const target = bar < 0 ? inner : inner.slice(0, inner[bar - 1] === '\\' ? bar - 1 : bar);
  const label = bar < 0 ? null : inner.slice(bar + 1).trim() || null;
  const hash = target.indexOf('#');
  let title = (hash < 0 ? target : target.slice(0, hash)).trim();
  const anchor = hash < 0 ? '' : target.slice(hash + 1).trim();
  let space: string | null = null;
  const colon = title.indexOf(':');
  if (colon > 0 && SPACE_KEY.test(title.slice(0, colon))) {
    space = title.slice(0, colon);
    title = title.slice(colon + 1).trim();
  }
  if (title === '' || title.length > MAX_TITLE) return null;
  return { space, title, anchor, label };
}

/**
 * The `data-wiki` value of a link: `<space>/<title>[#<fragment>]`, title and fragment
 * percent-encoded so the value needs no HTML escaping and the first `/` and `#` split it.
 */
export function wikiTargetAttr(ref: WikiRef, fragment: string): string {
  return ref.space + '/' + encodeURIComponent(ref.title) + (fragment ? '#' + encodeURIComponent(fragment) : '');
}

/**
 * Every wiki link is stored as a link to the missing page's editor. Whether its target exists,
 * and may be read, depends on the reader: the page view resolves it (src/server/pages/html-for-viewer.ts),
 * so stored HTML says nothing about pages its writer cannot see.
 */
function toLink(m: WikiLinkMatch, state: WikiLinkState): Link {
  const ref: WikiRef = { space: m.space ?? state.ctx.space, title: m.title };
  const key = ref.space + '\u0000' + ref.title;
  if (!state.links.has(key)) state.links.set(key, ref);
  const label = m.label ?? (m.anchor ? m.title + '#' + m.anchor : m.title);
  return {
    type: 'link', url: missingPageHref(ref.space, ref.title), title: null, children: [{ type: 'text', value: label }],
    data: { hProperties: { className: ['wikilink', 'missing'], dataWiki: wikiTargetAttr(ref, m.anchor ? slugify(m.anchor) : '') } },
  };
}

export function remarkWikiLinks() {
  return function transform(tree: Root, file: VFile): undefined {
    const state = file.data.wikiLinks;
    if (!state) return;
    replaceInText(tree, (text) => (text.includes('[[') ? scanWikiLinks(text).map((m) => ({ start: m.start, end: m.end, node: toLink(m, state) })) : []));
  };
}
