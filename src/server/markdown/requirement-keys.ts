// remark plugin: requirement keys like `PAY-12` in text become links to the requirement, for
// project keys that exist (so "UTF-8" or "ISO-9001" stay text). The page view adds live status.
import type { Link, Root } from 'mdast';
import type { VFile } from 'vfile';
import { replaceInText } from './replace-in-text.ts';
import type { RenderContext } from './types.ts';

declare module 'vfile' {
  interface DataMap { mentions: Set<string> }
}

// Not inside a Latin word or another key ("XPAY-12", "PAY-12-3"); Chinese text may touch it (见PAY-12。).
const KEY = /(?<![A-Za-z0-9_-])([A-Z][A-Z0-9]{1,9})-([1-9]\d{0,8})(?![A-Za-z0-9_-])/g;

export function requirementHref(key: string): string {
  return `/p/${key.slice(0, key.lastIndexOf('-'))}/${key}`;
}

/** Every requirement key of a known project in `text`, left to right. */
export function scanRequirementKeys(text: string, projectKeys: ReadonlySet<string>): { start: number; end: number; key: string }[] {
  if (projectKeys.size === 0) return [];
  return [...text.matchAll(KEY)].filter((m) => projectKeys.has(m[1]!)).map((m) => ({ start: m.index, end: m.index + m[0].length, key: m[0] }));
}

export function remarkRequirementKeys() {
  return function transform(tree: Root, file: VFile): undefined {
    const keys = (file.data.wikiLinks?.ctx as RenderContext | undefined)?.projectKeys;
    const mentions = (file.data.mentions = new Set());
    if (!keys || keys.size === 0) return;
    replaceInText(tree, (text) => scanRequirementKeys(text, keys).map((m) => {
      mentions.add(m.key);
      const link: Link = {
        type: 'link', url: requirementHref(m.key), title: null, children: [{ type: 'text', value: m.key }],
        data: { hProperties: { className: ['req-ref'], dataReq: m.key } },
      };
      return { start: m.start, end: m.end, node: link };
    }));
  };
}
