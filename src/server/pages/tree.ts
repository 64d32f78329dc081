// The page tree of a space, built from paths: a folder without its own page still shows as a
// node. Built once per tree version and cached, so page views do not rebuild it; what a page view
// shows of it (the nav for one path) is cached by tree version too. Every change that adds,
// removes, moves or renames pages bumps the version in its transaction, and the version is read
// with the space row on every request, so a cached entry is never served for a changed tree.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { pages, spaces } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { db, prepared, type Db } from '../db.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';

export interface TreeNode { name: string; path: string; title: string | null; children: TreeNode[] }

const collator = new Intl.Collator(['zh-CN', 'en'], { numeric: true, sensitivity: 'base' });
const cache = new Map<number, { version: number; tree: TreeNode; byPath: Map<string, TreeNode> }>();

const bump = prepared((d) => d.update(spaces).set({ treeVersion: sql`${spaces.treeVersion} + 1` }).where(eq(spaces.id, sql.placeholder('spaceId'))).prepare());

/** Called in the transaction `tx` of every change that adds, removes, moves or renames pages. */
export function bumpTreeVersion(_tx: Db, spaceId: number): void {
  bump().run({ spaceId });
}

function build(spaceId: number) {
  const rows = db().select({ path: pages.path, title: pages.title }).from(pages)
    .where(and(eq(pages.spaceId, spaceId), isNull(pages.deletedAt))).orderBy(asc(pages.path)).all();
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
  for (const node of byPath.values()) node.children.sort((a, b) => collator.compare(a.title ?? a.name, b.title ?? b.name));
  return { root, byPath };
}

function cachedTree(spaceId: number, version: number) {
  const hit = cache.get(spaceId);
  if (hit?.version === version) return hit;
  const { root, byPath } = build(spaceId);
  const entry = { version, tree: root, byPath };
  cache.set(spaceId, entry);
  // The navs of the old version can never be asked for again.
  const prefix = `${spaceId}\u0000`;
  for (const key of navCache.keys()) if (key.startsWith(prefix) && !key.startsWith(`${prefix}${version}\u0000`)) navCache.delete(key);
  return entry;
}

export interface NavNode { name: string; path: string; title: string | null; childCount: number; children: NavNode[] | null }
/** Shared between requests (cached): read it, never change it. */
export interface SpaceNav { nodes: NavNode[]; crumbs: { path: string; label: string }[]; node: NavNode | null }

const LEVEL_LIMIT = 60;
// Navs by space, tree version and current path, least recently used first; bounded because the
// current path comes from the URL (a missing page has a nav too).
const NAV_CACHE_SIZE = 2000;
const navCache = new Map<string, SpaceNav>();

/**
 * What a page view shows of the tree: each level along the current path (siblings capped,
 * the current branch always kept), the current node's children, and the breadcrumbs.
 */
export function spaceNav(viewer: Viewer | null, spaceOrKey: Space | string, current: string): SpaceNav {
  const space = typeof spaceOrKey === 'string' ? getSpace(viewer, spaceOrKey) : spaceOrKey;
  assertCan(viewer, 'read', space);
  const key = `${space.id}\u0000${space.treeVersion}\u0000${current}`;
  const hit = navCache.get(key);
  if (hit) {
    navCache.delete(key); // most recently used goes last
    navCache.set(key, hit);
    return hit;
  }
  const nav = buildNav(cachedTree(space.id, space.treeVersion), current);
  navCache.set(key, nav);
  if (navCache.size > NAV_CACHE_SIZE) navCache.delete(navCache.keys().next().value!);
  return nav;
}

function buildNav({ tree, byPath }: { tree: TreeNode; byPath: Map<string, TreeNode> }, current: string): SpaceNav {
  const onPath = (p: string) => current === p || current.startsWith(`${p}/`);
  const level = (node: TreeNode): NavNode[] => {
    const shown = node.children.slice(0, LEVEL_LIMIT);
    const branch = node.children.find((c) => onPath(c.path));
    if (branch && !shown.includes(branch)) shown.push(branch);
    return shown.map((c) => ({
      name: c.name, path: c.path, title: c.title, childCount: c.children.length,
      children: onPath(c.path) && c.children.length > 0 ? level(c) : null,
    }));
  };
  const crumbs: SpaceNav['crumbs'] = [];
  const parts = current === '' ? [] : current.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const node = byPath.get(parts.slice(0, i).join('/'));
    if (node) crumbs.push({ path: node.path, label: node.title ?? node.name });
  }
  const here = byPath.get(current);
  return {
    nodes: level(tree),
    crumbs,
    node: here ? { name: here.name, path: here.path, title: here.title, childCount: here.children.length, children: level(here) } : null,
  };
}
