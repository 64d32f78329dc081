// remark plugin: words shaped like requirement keys (`PAY-12`) in text become requirement links.
// Every such word is marked, whether or not its project exists, so stored HTML does not tell
// which projects exist: the view (src/server/pages/html-for-viewer.ts) keeps the link and adds
// the live status only for a requirement its reader may see, and turns the rest ("UTF-8") back
// into plain text.
import type { Link, Root } from 'mdast';
import type { VFile } from 'vfile';
import { replaceInText } from './replace-in-text.ts';

declare module 'vfile' {
  interface DataMap { mentions: Set<string> }
}

// Not inside a Latin word or another key ("XPAY-12", "PAY-12-3"); Chinese text may touch it (见PAY-12。).
export const REQUIREMENT_KEY = /(?<![A-Za-z0-9_-])([A-Z][A-Z0-9]{1,9})-([1-9]\d{0,8})(?![A-Za-z0-9_-])/g;

export function requirementHref(key: string): string {
  return `/p/${key.slice(0, key.lastIndexOf('-'))}/${key}`;
}

/** Every requirement-key-shaped word in `text`, left to right. */
export function scanRequirementKeys(text: string): { start: number; end: number; key: string }[] {
  return [...text.matchAll(REQUIREMENT_KEY)].map((m) => ({ start: m.index, end: m.index + m[0].length, key: m[0] }));
}

export function remarkRequirementKeys() {
  return function transform(tree: Root, file: VFile): undefined {
    const mentions = (file.data.mentions = new Set());
    replaceInText(tree, (text) => scanRequirementKeys(text).map((m) => {
      mentions.add(m.key);
      const link: Link = {
        type: 'link', url: requirementHref(m.key), title: null, children: [{ type: 'text', value: m.key }],
        data: { hProperties: { className: ['req-ref'], dataReq: m.key } },
      };
      return { start: m.start, end: m.end, node: link };
    }));
  };
}
