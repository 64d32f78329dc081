// GFM renders a task list item's box as a bare <input type="checkbox">, which a screen reader
// announces as "checkbox, not checked" with nothing to say what it is for: each box is named by
// its item's own text (not the text of lists nested in it).
import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

const isTaskItem = (node: Element) => node.tagName === 'li' && ([] as unknown[]).concat(node.properties.className ?? []).includes('task-list-item');
const isBox = (node: Element['children'][number]): node is Element => node.type === 'element' && node.tagName === 'input' && node.properties.type === 'checkbox';

export function rehypeTaskLabels() {
  return function transform(tree: Root): undefined {
    visit(tree, 'element', (item) => {
      if (!isTaskItem(item)) return;
      // A loose item holds its box in its first paragraph.
      const first = item.children.find((c): c is Element => c.type === 'element');
      const holder = first && first.tagName === 'p' ? first : item;
      const box = holder.children.find(isBox);
      if (!box) return;
      const own = holder.children.filter((c) => !(c.type === 'element' && (c.tagName === 'ul' || c.tagName === 'ol')));
      const text = own.map((c) => toString(c)).join('').replace(/\s+/g, ' ').trim();
      if (text) box.properties.ariaLabel = text.slice(0, 200);
    });
  };
}
