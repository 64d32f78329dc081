// Revision history: list, read one, diff two, restore an old one as a new revision.
import type { Lang } from '../../i18n/index.ts';
import { and, desc, eq } from 'drizzle-orm';
import { revisions, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { loadPage } from './get-page.ts';
import { prepareCharts } from '../dashboards/embed.ts';
import { htmlForViewer } from './html-for-viewer.ts';
import { renderPool } from './render-pool.ts';
import { lineDiff, type LineDiff } from '../line-diff.ts';
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
  const found = db().select({ rev: revisions, author: users.name }).from(revisions).leftJoin(users, eq(users.id, revisions.authorId))
    .where(and(eq(revisions.pageId, page.id), eq(revisions.number, number))).get();
  if (!found) throw notFound();
  return { space, page, rev: found.rev, author: found.author };
}

export interface RevisionDiff extends LineDiff { from: number; to: number; titleFrom: string; titleTo: string }

export function diffRevisions(viewer: Viewer | null, spaceKey: string, path: string, from: number, to: number): RevisionDiff {
  const a = getRevision(viewer, spaceKey, path, from).rev;
  const b = getRevision(viewer, spaceKey, path, to).rev;
  return { from, to, titleFrom: a.title, titleTo: b.title, ...lineDiff(a.markdown, b.markdown) };
}

/**
 * Restoring goes through the normal save, so whatever a save does for the text (links, attachments)
 * it does here; unlike an ordinary save it also brings back the deleted attachments the revision links to.
 */
export function restoreRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number): Promise<SaveResult> {
  const { page, rev } = getRevision(viewer, spaceKey, path, number);
  return savePage(viewer, {
    space: spaceKey, path: page.path, title: rev.title, markdown: rev.markdown, tags: rev.tags,
    baseRevision: page.revision, message: `Restored revision ${number}`,
  }, { restoresFiles: true });
}

// An old revision never changes, so it is rendered once, not on every view: its HTML as a save
// stores it (the same for every reader; htmlForViewer makes each reader's view of it), kept for the
// most recently viewed revisions up to a total size. Views of one still rendering share that render.
const KEPT_REVISIONS = 64;
const KEPT_CHARS = 16 * 1024 * 1024;
const kept = new Map<string, { html: Promise<string>; chars: number }>();
let keptChars = 0;

function forget(): void {
  for (const [key, entry] of kept) {
    if (kept.size <= KEPT_REVISIONS && keptChars <= KEPT_CHARS) return;
    kept.delete(key);
    keptChars -= entry.chars;
  }
}

function revisionHtml(viewer: Viewer, spaceKey: string, rev: { id: number; markdown: string }): Promise<string> {
  const key = `${rev.id} ${spaceKey}`; // its links are read from the space it is in now
  const hit = kept.get(key);
  if (hit) {
    kept.delete(key); // most recently viewed last
    kept.set(key, hit);
    return hit.html;
  }
  const entry = { html: renderPool().render(spaceKey, rev.markdown, { owner: viewer.id }).then((r) => r.html), chars: 0 };
  kept.set(key, entry);
  forget();
  entry.html.then((html) => {
    if (kept.get(key) !== entry) return;
    entry.chars = html.length;
    keptChars += html.length;
    forget();
  }, () => { if (kept.get(key) === entry) kept.delete(key); });
  return entry.html;
}

/**
 * An old revision rendered for reading, as this viewer may see it (current pages are read from
 * stored HTML instead), on the render pool: it may be one too hard to render, and any reader can ask for it.
 */
export async function viewRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number, lang: Lang) {
  const found = getRevision(viewer, spaceKey, path, number);
  const html = await revisionHtml(viewer!, found.space.key, found.rev);
  await prepareCharts(viewer, html); // on the dashboard worker, not here
  return { ...found, html: htmlForViewer(viewer, html, lang) };
}
