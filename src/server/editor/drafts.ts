// Editor drafts: what a writer has typed but not saved, one per (user, space, page path), so a
// closed tab, a crash or a lost connection costs at most the last few seconds. Only someone who
// may edit the space keeps drafts there; a successful save of the page deletes its draft (save-page.ts).
// A new page's draft is kept at the path its form would save to, which follows the title; reopening
// the new-page form asks for the newest draft of a page not created yet below its parent instead.
import { and, desc, eq, isNull, notExists, sql } from 'drizzle-orm';
import { drafts, pages } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { db, write, type Db } from '../db.ts';
import { badInput, notFound, tooLarge } from '../errors.ts';
import { MAX_MARKDOWN_BYTES, normalizePagePath } from '../pages/page-path.ts';
import { findSpace, type Space } from '../spaces/spaces.ts';

export interface Draft { path: string; title: string; markdown: string; baseRevision: number | null; updatedAt: number }
export interface DraftInput { title?: unknown; markdown?: unknown; baseRevision?: unknown }

function editableSpace(viewer: Viewer | null, spaceKey: string): Space {
  const space = findSpace(spaceKey);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  return space;
}

const where = (userId: number, spaceId: number, path: string) =>
  and(eq(drafts.userId, userId), eq(drafts.spaceId, spaceId), eq(drafts.path, path));

const columns = { path: drafts.path, title: drafts.title, markdown: drafts.markdown, baseRevision: drafts.baseRevision, updatedAt: drafts.updatedAt };

/** The viewer's draft of the page at `rawPath`, or null. */
export function getDraft(viewer: Viewer | null, spaceKey: string, rawPath: string): Draft | null {
  const space = editableSpace(viewer, spaceKey);
  return db().select(columns).from(drafts).where(where(viewer!.id, space.id, normalizePagePath(rawPath))).get() ?? null;
}

/** The viewer's newest draft of a page not created yet at or below `rawParent` (the whole space for ""), or null. */
export function getNewPageDraft(viewer: Viewer | null, spaceKey: string, rawParent: string): Draft | null {
  const space = editableSpace(viewer, spaceKey);
  const parent = normalizePagePath(rawParent);
  const prefix = parent ? `${parent}/` : '';
  const livePage = db().select({ id: pages.id }).from(pages)
    .where(and(eq(pages.spaceId, drafts.spaceId), eq(pages.path, drafts.path), isNull(pages.deletedAt)));
  return db().select(columns).from(drafts).where(and(
    eq(drafts.userId, viewer!.id), eq(drafts.spaceId, space.id), isNull(drafts.baseRevision),
    sql`substr(${drafts.path}, 1, ${prefix.length}) = ${prefix}`, notExists(livePage),
  )).orderBy(desc(drafts.updatedAt)).limit(1).get() ?? null;
}

/** Bounded like a page: the same 2 MB body, a title no longer than a page title may be. */
export function putDraft(viewer: Viewer | null, spaceKey: string, rawPath: string, input: DraftInput): Draft {
  const space = editableSpace(viewer, spaceKey);
  const path = normalizePagePath(rawPath);
  const { markdown, title = '', baseRevision = null } = input;
  if (typeof markdown !== 'string') throw badInput('markdown must be a string');
  if (Buffer.byteLength(markdown) > MAX_MARKDOWN_BYTES) throw tooLarge('A draft is at most 2 MB');
  if (typeof title !== 'string' || title.length > 300) throw badInput('title must be a string of at most 300 characters');
  if (baseRevision !== null && (typeof baseRevision !== 'number' || !Number.isSafeInteger(baseRevision) || baseRevision < 1)) {
    throw badInput('baseRevision must be a positive integer or null');
  }
  const draft = { title, markdown, baseRevision, updatedAt: Date.now() };
  write((tx) => tx.insert(drafts).values({ userId: viewer!.id, spaceId: space.id, path, ...draft })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.spaceId, drafts.path], set: draft }).run());
  return { path, ...draft };
}

export function deleteDraft(viewer: Viewer | null, spaceKey: string, rawPath: string): void {
  const space = editableSpace(viewer, spaceKey);
  write((tx) => discardDraft(tx, viewer!.id, space.id, normalizePagePath(rawPath)));
}

/** Inside a save's transaction: the saved page is the draft's successor. */
export function discardDraft(tx: Db, userId: number, spaceId: number, path: string): void {
  tx.delete(drafts).where(where(userId, spaceId, path)).run();
}
