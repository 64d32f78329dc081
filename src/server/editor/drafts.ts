// Editor drafts: what a writer has typed but not saved, one per (user, space, page path), so a
// closed tab, a crash or a lost connection costs at most the last few seconds. Only someone who
// may edit the space keeps drafts there; a successful save of the page deletes its draft (save-page.ts).
import { and, eq } from 'drizzle-orm';
import { drafts } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { db, write, type Db } from '../db.ts';
import { badInput, notFound, tooLarge } from '../errors.ts';
import { MAX_MARKDOWN_BYTES, normalizePagePath } from '../pages/page-path.ts';
import { findSpace, type Space } from '../spaces/spaces.ts';

export interface Draft { title: string; markdown: string; baseRevision: number | null; updatedAt: number }
export interface DraftInput { title?: unknown; markdown?: unknown; baseRevision?: unknown }

function editableSpace(viewer: Viewer | null, spaceKey: string): Space {
  const space = findSpace(spaceKey);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  return space;
}

const where = (userId: number, spaceId: number, path: string) =>
  and(eq(drafts.userId, userId), eq(drafts.spaceId, spaceId), eq(drafts.path, path));

export function getDraft(viewer: Viewer | null, spaceKey: string, rawPath: string): Draft {
  const space = editableSpace(viewer, spaceKey);
  const row = db().select({ title: drafts.title, markdown: drafts.markdown, baseRevision: drafts.baseRevision, updatedAt: drafts.updatedAt })
    .from(drafts).where(where(viewer!.id, space.id, normalizePagePath(rawPath))).get();
  if (!row) throw notFound();
  return row;
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
  const draft: Draft = { title, markdown, baseRevision, updatedAt: Date.now() };
  write((tx) => tx.insert(drafts).values({ userId: viewer!.id, spaceId: space.id, path, ...draft })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.spaceId, drafts.path], set: draft }).run());
  return draft;
}

export function deleteDraft(viewer: Viewer | null, spaceKey: string, rawPath: string): void {
  const space = editableSpace(viewer, spaceKey);
  write((tx) => discardDraft(tx, viewer!.id, space.id, normalizePagePath(rawPath)));
}

/** Inside a save's transaction: the saved page is the draft's successor. */
export function discardDraft(tx: Db, userId: number, spaceId: number, path: string): void {
  tx.delete(drafts).where(where(userId, spaceId, path)).run();
}
