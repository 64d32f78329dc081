// Revision history: list, read one, diff two, restore an old one as a new revision.
import type { Lang } from '../../i18n/index.ts';
import { and, desc, eq } from 'drizzle-orm';
import { LRUCache } from 'lru-cache';
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

// A restore's revision message, kept in English as messages are; restoredFrom reads it back so
// that a history says it in its reader's language.
const RESTORED = /^Restored revision (\d+)$/;
export const restoredFrom = (message: string): number | null => Number(RESTORED.exec(message)?.[1] ?? NaN) || null;

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
interface RenderJob { spaceKey: string; markdown: string; owner: number | undefined }
const kept = new LRUCache<string, string, RenderJob>({
  max: 64,
  maxSize: 16 * 1024 * 1024, // characters
  sizeCalculation: (html) => Math.max(1, html.length),
  fetchMethod: (_key, _stale, { context }) => renderPool().render(context.spaceKey, context.markdown, { owner: context.owner }).then((r) => r.html),
});

async function revisionHtml(viewer: Viewer | null, spaceKey: string, rev: { id: number; markdown: string }): Promise<string> {
  // Keyed by the space it is in now: its links are read from there.
  const html = await kept.fetch(`${rev.id} ${spaceKey}`, { context: { spaceKey, markdown: rev.markdown, owner: viewer?.id } });
  return html!; // fetchMethod always gives one (or throws)
}

/**
 * An old revision rendered for reading, as this viewer may see it (current pages are read from
 * stored HTML instead), on the render pool: it may be one too hard to render, and any reader can ask for it.
 */
export async function viewRevision(viewer: Viewer | null, spaceKey: string, path: string, number: number, lang: Lang) {
  const found = getRevision(viewer, spaceKey, path, number);
  const html = await revisionHtml(viewer, found.space.key, found.rev);
  await prepareCharts(viewer, html); // on the dashboard worker, not here
  return { ...found, html: htmlForViewer(viewer, html, lang) };
}
