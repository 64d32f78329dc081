// For plugins that turn written syntax into links ([[Title]], PAY-12): replaces matches inside
// text nodes with other inline nodes. Links are skipped (an anchor may not nest); code, inline
// code and raw HTML are not text nodes, so they are left alone by construction.
import type { Parent, PhrasingContent, Root, RootContent } from 'mdast';
import { SKIP, visit } from 'unist-util-visit';

export interface TextMatch { start: number; end: number; node: PhrasingContent }

export function replaceInText(tree: Root, find: (text: string) => TextMatch[]): void {
  // Rebuild each parent's children once (not a splice per match), so many matches stay linear.
  visit(tree, (node) => {
    if (node.type === 'link' || node.type === 'linkReference') return SKIP;
    if (!('children' in node)) return;
    const children = node.children as RootContent[];
    let out: RootContent[] | null = null;
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const matches = child.type === 'text' ? find(child.value) : [];
      if (matches.length === 0) {
        out?.push(child);
        continue;
      }
      out ??= children.slice(0, i);
      const value = (child as { value: string }).value;
      let pos = 0;
      for (const m of matches) {
        if (m.start > pos) out.push({ type: 'text', value: value.slice(pos, m.start) });
        out.push(m.node);
        pos = m.end;
      }
      if (pos < value.length) out.push({ type: 'text', value: value.slice(pos) });
    }
    if (out) (node as Parent).children = out;
  });
}
