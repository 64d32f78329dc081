// The page tree of a space, built from paths: a folder without its own page still shows as a node.
import { and, asc, eq, isNull } from 'drizzle-orm';
import { pages } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { getSpace } from '../spaces/spaces.ts';

export interface TreeNode { name: string; path: string; title: string | null; children: TreeNode[] }

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });

export function pageTree(viewer: Viewer | null, spaceKey: string): TreeNode {
  const space = getSpace(viewer, spaceKey);
  const rows = db().select({ path: pages.path, title: pages.title, position: pages.position }).from(pages)
    .where(and(eq(pages.spaceId, space.id), isNull(pages.deletedAt))).orderBy(asc(pages.path)).all();
  const root: TreeNode = { name: '', path: '', title: null, children: [] };
  const byPath = new Map<string, TreeNode>([['', root]]);
  const nodeFor = (path: string): TreeNode => {
    const existing = byPath.get(path);
    if (existing) return existing;
    const i = path.lastIndexOf('/');
    const node: TreeNode = { name: path.slice(i + 1), path, title: null, children: [] };
    nodeFor(i < 0 ? '' : path.slice(0, i)).children.push(node);
    byPath.set(path, node);
    return node;
  };
  for (const r of rows) nodeFor(r.path).title = r.title;
  const sort = (n: TreeNode) => {
    n.children.sort((a, b) => collator.compare(a.title ?? a.name, b.title ?? b.name));
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** Ancestors of a path for breadcrumbs, with titles where a page exists. */
export function breadcrumbs(tree: TreeNode, path: string): { path: string; label: string }[] {
  const crumbs: { path: string; label: string }[] = [];
  let node: TreeNode | undefined = tree;
  const parts = path === '' ? [] : path.split('/');
  for (let i = 0; i < parts.length - 1 && node; i++) {
    const p = parts.slice(0, i + 1).join('/');
    node = node.children.find((c) => c.path === p);
    if (node) crumbs.push({ path: node.path, label: node.title ?? node.name });
  }
  return crumbs;
}
