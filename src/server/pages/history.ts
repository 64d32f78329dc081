// Revision history: list, read one, diff two, restore an old one as a new revision.
import { structuredPatch } from 'diff';
import { and, desc, eq } from 'drizzle-orm';
import { revisions, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { loadPage } from './get-page.ts';
import { renderPage } from './render-page.ts';
import { savePage, type SaveResult } from './save-page.ts';

export interface RevisionInfo {
  revision: number;
  title: string;
  author: { name: string; email: string } | null;
  createdAt: number;
  message: string;
}

export function listRevisions(viewer: Viewer | null, spaceKey: string, path: string): RevisionInfo[] {
  const { page } = loadPage(viewer, spaceKey, path);
  return db().select({ revision: revisions.number, title: revisions.title, createdAt: revisions.createdAt, message: revisions.message, name: users.name, email: users.email })
    .from(revisions).leftJoin(users, eq(users.id, revisions.authorId))
    .where(eq(revisions.pageId, page.id)).orderBy(desc(revisions.number)).all()
    .map(({ name, email, ...r }) => ({ ...r, author: email === null ? null : { name: name ?? email, email } }));
}

export function getRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number) {
  const { space, page } = loadPage(viewer, spaceKey, path);
  if (!Number.isSafeInteger(number) || number < 1) throw badInput('A revision number is a positive integer');
  const rev = db().select().from(revisions).where(and(eq(revisions.pageId, page.id), eq(revisions.number, number))).get();
  if (!rev) throw notFound(`No revision ${number}`);
  return { space, page, rev };
}

export interface DiffLine { kind: 'add' | 'del' | 'same'; oldNo: number | null; newNo: number | null; text: string }
export interface DiffHunk { header: string; lines: DiffLine[] }
export interface RevisionDiff { from: number; to: number; titleFrom: string; titleTo: string; hunks: DiffHunk[]; added: number; removed: number }

export function diffRevisions(viewer: Viewer | null, spaceKey: string, path: string, from: number, to: number): RevisionDiff {
  const a = getRevision(viewer, spaceKey, path, from).rev;
  const b = getRevision(viewer, spaceKey, path, to).rev;
  const patch = structuredPatch(`r${from}`, `r${to}`, a.markdown, b.markdown, '', '', { context: 3 });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((h) => {
    let oldNo = h.oldStart;
    let newNo = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const sign = raw[0];
      const text = raw.slice(1);
      if (sign === '\\') continue; // "\ No newline at end of file"
      if (sign === '+') { lines.push({ kind: 'add', oldNo: null, newNo: newNo++, text }); added++; }
      else if (sign === '-') { lines.push({ kind: 'del', oldNo: oldNo++, newNo: null, text }); removed++; }
      else lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
    }
    return { header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines };
  });
  return { from, to, titleFrom: a.title, titleTo: b.title, hunks, added, removed };
}

export function restoreRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number): Promise<SaveResult> {
  const { page, rev } = getRevision(viewer, spaceKey, path, number);
  return savePage(viewer, {
    space: spaceKey, path: page.path, title: rev.title, markdown: rev.markdown, tags: rev.tags,
    baseRevision: page.revision, message: `Restored revision ${number}`,
  });
}

/** An old revision rendered for reading (current pages are read from stored HTML instead). */
export function viewRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number) {
  const found = getRevision(viewer, spaceKey, path, number);
  return { ...found, html: renderPage(db(), found.space.key, found.rev.markdown).html };
}
