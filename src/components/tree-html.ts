// The sidebar tree and the breadcrumbs as HTML strings. A page view renders dozens of nodes;
// building them as one string (escaped by default: @remix-run/html-template) is several times
// cheaper than a recursive Astro component per node, and the strings are kept with the (cached,
// per tree version) nav they were built from.
import { html, type SafeHtml } from '@remix-run/html-template';
import { pageHref } from '../server/markdown/href.ts';
import type { NavNode, SpaceNav } from '../server/pages/tree.ts';

export function treeHtml(nodes: NavNode[], space: string, current: string): SafeHtml {
  return html`<ul>${nodes.map((n) => {
    const count = n.childCount > 0 && !n.children ? html`<span class="count" aria-hidden="true">${n.childCount}</span>` : null;
    return html`<li><a href="${pageHref(space, n.path)}"${n.path === current ? html` aria-current="page"` : null}${n.title === null ? html` class="folder"` : null}>${n.title ?? `${n.name}/`}${count}</a>${n.children ? treeHtml(n.children, space, current) : null}</li>`;
  })}</ul>`;
}

/** The breadcrumb items: the space's home, then each page or folder down to the current one. */
function crumbsHtml(crumbs: SpaceNav['crumbs'], space: { key: string; name: string }, current: string): SafeHtml {
  const all = [{ path: '', label: space.name }, ...crumbs];
  return html`${all.map((c, i) => (i === all.length - 1 && current === c.path
    ? html`<li><span aria-current="page">${c.label}</span></li>`
    : html`<li><a href="${pageHref(space.key, c.path)}">${c.label}</a></li>`))}`;
}

interface NavHtml { key: string; name: string; current: string; tree: string; crumbs: string }
const built = new WeakMap<SpaceNav, NavHtml>();

/** Sidebar tree and breadcrumb markup of a nav, built once per nav object (and space name). */
export function navHtml(nav: SpaceNav, space: { key: string; name: string }, current: string): { tree: string; crumbs: string } {
  const hit = built.get(nav);
  if (hit && hit.key === space.key && hit.name === space.name && hit.current === current) return hit;
  const entry = { key: space.key, name: space.name, current, tree: String(treeHtml(nav.nodes, space.key, current)), crumbs: String(crumbsHtml(nav.crumbs, space, current)) };
  built.set(nav, entry);
  return entry;
}
