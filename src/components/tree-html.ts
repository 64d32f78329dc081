// The sidebar tree and the breadcrumbs as HTML strings. A page view renders dozens of nodes;
// building them as one string is several times cheaper than a recursive Astro component per node,
// and the strings are kept with the (cached, per tree version) nav they were built from.
import { escapeHtml } from '../server/html.ts';
import { pageHref } from '../server/markdown/href.ts';
import type { NavNode, SpaceNav } from '../server/pages/tree.ts';

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

/** The breadcrumb items: the space's home, then each page or folder down to the current one. */
export function crumbsHtml(crumbs: SpaceNav['crumbs'], space: { key: string; name: string }, current: string): string {
  const all = [{ path: '', label: space.name }, ...crumbs];
  return all.map((c, i) => {
    const label = escapeHtml(c.label);
    return i === all.length - 1 && current === c.path
      ? `<li><span aria-current="page">${label}</span></li>`
      : `<li><a href="${escapeHtml(pageHref(space.key, c.path))}">${label}</a></li>`;
  }).join('');
}

interface NavHtml { key: string; name: string; current: string; tree: string; crumbs: string }
const built = new WeakMap<SpaceNav, NavHtml>();

/** Sidebar tree and breadcrumb markup of a nav, built once per nav object (and space name). */
export function navHtml(nav: SpaceNav, space: { key: string; name: string }, current: string): { tree: string; crumbs: string } {
  const hit = built.get(nav);
  if (hit && hit.key === space.key && hit.name === space.name && hit.current === current) return hit;
  const entry = { key: space.key, name: space.name, current, tree: treeHtml(nav.nodes, space.key, current), crumbs: crumbsHtml(nav.crumbs, space, current) };
  built.set(nav, entry);
  return entry;
}
