// The sidebar tree as an HTML string. A page view renders dozens of nodes; building them as
// one string is several times cheaper than a recursive Astro component per node.
import { escapeHtml } from '../server/html.ts';
import { pageHref } from '../server/markdown/render.ts';
import type { NavNode } from '../server/pages/tree.ts';


export function treeHtml(nodes: NavNode[], space: string, current: string): string {
  const items = nodes.map((n) => {
    const current_ = n.path === current ? ' aria-current="page"' : '';
    const folder = n.title === null ? ' class="folder"' : '';
    const count = n.childCount > 0 && !n.children ? `<span class="count" aria-hidden="true">${n.childCount}</span>` : '';
    const label = escapeHtml(n.title ?? `${n.name}/`);
    const children = n.children ? treeHtml(n.children, space, current) : '';
    return `<li><a href="${escapeHtml(pageHref(space, n.path))}"${current_}${folder}>${label}${count}</a>${children}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}
