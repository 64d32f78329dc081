// Requirements and pages, both ways: explicit links with a relation (plan, spec, review, retro),
// and mentions (a page whose text names PAY-12). Each side is shown only to those who may read it.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { pageMentions, pages, requirementLinks, requirements, spaces } from '../../../db/schema.ts';
import { assertCan, isRestricted, readableFilter, readableRequirementIds, readableSpaceIds, type Viewer } from '../access/index.ts';
import { readCache } from '../db-cache.ts';
import { prepared, write, type Db } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { findLivePage } from '../pages/get-page.ts';
import { normalizePagePath } from '../pages/page-path.ts';
import { findSpace } from '../spaces/spaces.ts';
import { findCategory } from '../projects/projects.ts';
import { RELATIONS, stateOf, type Relation } from '../projects/workflow.ts';
import { recordEvent } from './events.ts';
import { loadRequirement, type Requirement } from './load.ts';

export type DocumentRelation = Relation | 'mention';
export interface LinkedDocument { space: string; path: string; title: string; relation: DocumentRelation }

export interface LinkInput { space?: unknown; path?: unknown; relation?: unknown }

function linkTarget(viewer: Viewer | null, input: LinkInput) {
  if (typeof input.space !== 'string' || typeof input.path !== 'string') throw badInput('space and path name the page to link');
  if (!RELATIONS.includes(input.relation as Relation)) throw badInput(`relation is one of ${RELATIONS.join(', ')}`);
  const space = findSpace(input.space);
  if (!space) throw notFound();
  assertCan(viewer, 'read', space);
  const page = findLivePage(space.id, normalizePagePath(input.path));
  if (!page) throw notFound();
  return { space, page, relation: input.relation as Relation };
}

/** Links a page the viewer can read to a requirement they can edit. Linking twice is a no-op. */
export function linkPage(viewer: Viewer | null, key: string, input: LinkInput): { linked: boolean } {
  const { req } = loadRequirement(viewer, key, 'edit');
  const { space, page, relation } = linkTarget(viewer, input);
  const linked = write((tx) => {
    const inserted = tx.insert(requirementLinks).values({ requirementId: req.id, pageId: page.id, relation, createdBy: viewer!.id })
      .onConflictDoNothing().run().changes > 0;
    if (inserted) recordEvent(tx, req, viewer!.id, 'linked', { space: space.key, path: page.path, title: page.title, relation });
    return inserted;
  });
  if (linked) wakeOutbox();
  return { linked };
}

export function unlinkPage(viewer: Viewer | null, key: string, input: LinkInput): { unlinked: boolean } {
  const { req } = loadRequirement(viewer, key, 'edit');
  const { space, page, relation } = linkTarget(viewer, input);
  const unlinked = write((tx) => {
    const removed = tx.delete(requirementLinks).where(and(eq(requirementLinks.requirementId, req.id), eq(requirementLinks.pageId, page.id), eq(requirementLinks.relation, relation))).run().changes > 0;
    if (removed) recordEvent(tx, req, viewer!.id, 'unlinked', { space: space.key, path: page.path, title: page.title, relation });
    return removed;
  });
  if (unlinked) wakeOutbox();
  return { unlinked };
}

/** The pages linked to or mentioning the requirement, in spaces the viewer may read. */
export function requirementDocuments(d: Db, viewer: Viewer | null, req: Requirement): LinkedDocument[] {
  const readable = new Set(readableSpaceIds(viewer));
  const explicit = d.select({ spaceId: spaces.id, space: spaces.key, path: pages.path, title: pages.title, relation: requirementLinks.relation })
    .from(requirementLinks).innerJoin(pages, eq(pages.id, requirementLinks.pageId)).innerJoin(spaces, eq(spaces.id, pages.spaceId))
    .where(and(eq(requirementLinks.requirementId, req.id), isNull(pages.deletedAt))).all();
  const mentions = d.select({ spaceId: spaces.id, space: spaces.key, path: pages.path, title: pages.title, relation: sql<'mention'>`'mention'` })
    .from(pageMentions).innerJoin(pages, eq(pages.id, pageMentions.pageId)).innerJoin(spaces, eq(spaces.id, pages.spaceId))
    .where(and(eq(pageMentions.requirementKey, req.key), isNull(pages.deletedAt))).all();
  const order = [...RELATIONS, 'mention'];
  return [...explicit, ...mentions].filter((r) => readable.has(r.spaceId))
    .sort((a, b) => order.indexOf(a.relation) - order.indexOf(b.relation) || a.title.localeCompare(b.title))
    .map(({ space, path, title, relation }) => ({ space, path, title, relation }));
}

export interface PageRequirement { key: string; title: string; status: string; statusName: { en: string; zh: string }; done: boolean; relations: DocumentRelation[] }

interface PageRequirementRow { id: number; restricted: number; key: string; title: string; status: string; category: string; projectId: number; spaceId: number; visibility: 'org' | 'restricted'; relation: string }

const pageReqs = prepared((d) => d.$client.prepare<[number, number], PageRequirementRow>(
  `select r.id, r.restricted, r.key, r.title, r.status, r.category, r.project_id as projectId, s.id as spaceId, s.visibility, l.relation
     from requirement_links l join requirements r on r.id = l.requirement_id join projects p on p.id = r.project_id join spaces s on s.id = p.space_id
    where l.page_id = ?
   union all
   select r.id, r.restricted, r.key, r.title, r.status, r.category, r.project_id, s.id, s.visibility, 'mention'
     from page_mentions m join requirements r on r.key = m.requirement_key join projects p on p.id = r.project_id join spaces s on s.id = p.space_id
    where m.page_id = ?`,
));
// Every page view asks; remembered until the database changes (src/server/db-cache.ts).
const pageReqRows = readCache<number, readonly Readonly<PageRequirementRow>[]>({ entries: 5000 });

/** The requirements a page links to or mentions, with their live status, that the viewer may read. */
export function pageRequirements(d: Db, viewer: Viewer | null, pageId: number): PageRequirement[] {
  const rows = pageReqRows.get(pageId, () => Object.freeze(pageReqs().all(pageId, pageId)));
  if (rows.length === 0) return [];
  const readable = readableFilter(viewer);
  const restricted = rows.filter((r) => isRestricted({ restricted: r.restricted === 1, projectId: r.projectId, category: r.category }));
  const readableRestricted = readableRequirementIds(viewer, restricted.map((r) => r.id));
  const hidden = new Set(restricted.filter((r) => !readableRestricted.has(r.id)).map((r) => r.id));
  const byKey = new Map<string, PageRequirement>();
  for (const r of rows) {
    if (!readable({ id: r.spaceId, visibility: r.visibility }) || hidden.has(r.id)) continue;
    const had = byKey.get(r.key);
    if (had) { if (!had.relations.includes(r.relation as DocumentRelation)) had.relations.push(r.relation as DocumentRelation); continue; }
    const state = stateOf(findCategory(d, r.projectId, r.category)!, r.status);
    byKey.set(r.key, { key: r.key, title: r.title, status: r.status, statusName: state?.name ?? { en: r.status, zh: r.status }, done: !!state?.done, relations: [r.relation as DocumentRelation] });
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
}

const projectKeyList = prepared((d) => d.$client.prepare<[], { key: string }>('select key from projects'));
const mentionsOf = prepared((d) => d.select({ key: pageMentions.requirementKey }).from(pageMentions).where(eq(pageMentions.pageId, sql.placeholder('pageId'))).prepare());

/**
 * Keeps a page's mentions in step with its current revision; a newly mentioned requirement gets
 * a `mentioned` event (its people are told). Called inside the page's save transaction.
 */
export function replaceMentions(tx: Db, page: { id: number; path: string; title: string }, spaceKey: string, keys: string[], authorId: number | null): boolean {
  const before = new Set(mentionsOf().all({ pageId: page.id }).map((r) => r.key));
  // Rendering marks every key-shaped word ("UTF-8" too); a mention is one of an existing project.
  const projectKeys = keys.length ? new Set(projectKeyList().all().map((r) => r.key)) : new Set<string>();
  const after = new Set(keys.filter((k) => projectKeys.has(k.slice(0, k.lastIndexOf('-')))));
  const removed = [...before].filter((k) => !after.has(k));
  const added = [...after].filter((k) => !before.has(k));
  if (removed.length) tx.delete(pageMentions).where(and(eq(pageMentions.pageId, page.id), inArray(pageMentions.requirementKey, removed))).run();
  if (added.length === 0) return removed.length > 0;
  // One statement each, not one per key: a page may carry hundreds (src/server/markdown/link-caps.ts).
  tx.insert(pageMentions).values(added.map((key) => ({ pageId: page.id, requirementKey: key }))).run();
  // Without an author (imports, re-rendering for a new project) it is recorded but not announced.
  for (const req of tx.select().from(requirements).where(inArray(requirements.key, added)).all()) {
    recordEvent(tx, req, authorId, 'mentioned', { space: spaceKey, path: page.path, title: page.title }, { announce: authorId !== null });
  }
  return true;
}

