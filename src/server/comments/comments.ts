// Comments on a page, in Markdown rendered by the page pipeline (same sanitizer and links), in
// threads one level deep. Who may do what (README, "Page comments and watching"):
// - read and write comments: anyone who may read the page's space. Commenting is how readers
//   without edit rights (most staff on a policy or IT page) ask and answer; it changes no page;
// - edit: the author only; delete: the author or a space admin (moderation);
// - resolve or reopen a thread: the thread's author or anyone who may edit the page.
// Every answer is decided through the page: a page or space the viewer may not read, a deleted
// page, and a comment that does not exist all answer the same 404.
import type { Lang } from '../../i18n/index.ts';
import { assertCan, can, type Viewer } from '../access/index.ts';
import { prepareCharts } from '../dashboards/embed.ts';
import { readCache } from '../db-cache.ts';
import { prepared, write } from '../db.ts';
import { badInput, forbidden, notFound, tooLarge, unauthorized } from '../errors.ts';
import { assertLinkCaps } from '../markdown/link-caps.ts';
import { findLivePage, loadPage } from '../pages/get-page.ts';
import { htmlForViewer } from '../pages/html-for-viewer.ts';
import { renderPool } from '../pages/render-pool.ts';
import { normalizeMarkdown } from '../pages/save-page.ts';
import { findSpace, type Space } from '../spaces/spaces.ts';
import { notifyComment } from '../watching/notify-watchers.ts';
import { withMentions } from './mention-html.ts';
import { mentionedPeople } from './mentions.ts';

/** Comments are short: a screenful of text, not a page (pages may hold 2 MB). */
export const MAX_COMMENT_CHARS = 10_000;

export interface Comment {
  id: number; author: { name: string; email: string } | null; createdAt: string; editedAt: string | null;
  /** The comment was deleted but has replies: it stays as a placeholder without text. */
  deleted: boolean;
  html: string; markdown: string;
  /** What the viewer may do with it. */
  mayEdit: boolean; mayDelete: boolean;
}
export interface Thread extends Comment { resolved: boolean; resolvedAt: string | null; mayResolve: boolean; replies: Comment[] }

interface Row {
  id: number; pageId: number; parentId: number | null; authorId: number | null; markdown: string; html: string;
  createdAt: number; editedAt: number | null; deletedAt: number | null; resolvedAt: number | null;
  authorName: string | null; authorEmail: string | null;
}
const COLUMNS = `c.id, c.page_id as pageId, c.parent_id as parentId, c.author_id as authorId, c.markdown, c.html,
  c.created_at as createdAt, c.edited_at as editedAt, c.deleted_at as deletedAt, c.resolved_at as resolvedAt,
  u.name as authorName, u.email as authorEmail`;
const ofPage = prepared((d) => d.$client.prepare<[number], Row>(
  `select ${COLUMNS} from page_comments c left join users u on u.id = c.author_id where c.page_id = ? order by c.id`,
));
// A comment (deleted ones too: a placeholder thread may still be replied to and resolved) with its
// live page's space and path: a comment on a deleted page is not found.
const byId = prepared((d) => d.$client.prepare<[number], Row & { spaceKey: string; path: string }>(
  `select ${COLUMNS}, s.key as spaceKey, p.path from page_comments c join pages p on p.id = c.page_id and p.deleted_at is null
   join spaces s on s.id = p.space_id left join users u on u.id = c.author_id where c.id = ?`,
));
const insert = prepared((d) => d.$client.prepare<[number, number | null, number, string, string], { id: number }>(
  'insert into page_comments (page_id, parent_id, author_id, markdown, html) values (?, ?, ?, ?, ?) returning id',
));
const update = prepared((d) => d.$client.prepare<[string, string, number, number]>('update page_comments set markdown = ?, html = ?, edited_at = ? where id = ?'));
const setResolved = prepared((d) => d.$client.prepare<[number | null, number | null, number]>('update page_comments set resolved_at = ?, resolved_by = ? where id = ?'));
const softDelete = prepared((d) => d.$client.prepare<[number, number]>("update page_comments set deleted_at = ?, markdown = '', html = '' where id = ?"));

// A page's comments are read on every view of it: remembered until the database changes (exact).
const pageComments = readCache<number, readonly Readonly<Row>[]>({ entries: 5000 });
const commentsOf = (pageId: number) => pageComments.get(pageId, () => Object.freeze(ofPage().all(pageId).map((r) => Object.freeze(r))));

// A comment's HTML with its mentions marked, by comment (a comment belongs to one page): until the database changes.
const markedHtml = readCache<number, string>({ entries: 20_000, weight: 20_000_000, weigh: (html) => html.length });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The page's comment threads as the viewer may see them, oldest first, with their charts computed
 * on the dashboard worker first; 404 unless they may read the page.
 */
export async function readComments(viewer: Viewer | null, spaceKey: string, path: string, lang: Lang = 'en'): Promise<Thread[]> {
  const { space, page } = loadPage(viewer, spaceKey, path);
  await prepareCommentCharts(viewer, page.id);
  return threadsOf(viewer, space, page.id, lang);
}


/**
 * Before the comments are shown (the page view, readComments): the figures of charts in them, computed
 * for this viewer on the dashboard worker, as for a page's own (get-page.ts, preparePageCharts).
 */
export async function prepareCommentCharts(viewer: Viewer | null, pageId: number): Promise<void> {
  await Promise.all(commentsOf(pageId).map((r) => prepareCharts(viewer, r.html)));
}

/** The threads of a page the caller has already checked the viewer may read (the page view). */
export function threadsOf(viewer: Viewer | null, space: Space, pageId: number, lang: Lang): Thread[] {
  const rows = commentsOf(pageId);
  if (rows.length === 0) return [];
  const mayEditPage = can(viewer, 'edit', space);
  const isSpaceAdmin = can(viewer, 'admin', space);
  const mayWrite = viewer !== null && !viewer.readOnly && can(viewer, 'contribute', space); // not in an archived space
  const comment = (r: Row): Comment => {
    const mine = mayWrite && r.authorId === viewer!.id;
    return {
      id: r.id, author: r.authorEmail === null ? null : { name: r.authorName ?? r.authorEmail, email: r.authorEmail },
      createdAt: iso(r.createdAt)!, editedAt: r.deletedAt === null ? iso(r.editedAt) : null, deleted: r.deletedAt !== null,
      html: r.deletedAt === null ? htmlForViewer(viewer, markedHtml.get(r.id, () => withMentions(space, r.html)), lang) : '', markdown: r.markdown,
      mayEdit: mine && r.deletedAt === null, mayDelete: (mine || isSpaceAdmin) && r.deletedAt === null,
    };
  };
  const replies = new Map<number, Comment[]>();
  for (const r of rows) if (r.parentId !== null && r.deletedAt === null) replies.set(r.parentId, [...(replies.get(r.parentId) ?? []), comment(r)]);
  return rows.filter((r) => r.parentId === null && (r.deletedAt === null || replies.has(r.id))).map((r) => ({
    ...comment(r), resolved: r.resolvedAt !== null, resolvedAt: iso(r.resolvedAt),
    mayResolve: mayWrite && (mayEditPage || r.authorId === viewer!.id),
    replies: replies.get(r.id) ?? [],
  }));
}

async function prepareText(viewer: Viewer, spaceKey: string, markdown: unknown) {
  if (typeof markdown !== 'string') throw badInput('markdown must be a string');
  const text = normalizeMarkdown(markdown).trim();
  if (!text) throw badInput('A comment needs some text', { code: 'commentEmpty' });
  if (text.length > MAX_COMMENT_CHARS) throw tooLarge(`A comment is at most ${MAX_COMMENT_CHARS.toLocaleString('en')} characters`, { code: 'commentTooLong', max: MAX_COMMENT_CHARS });
  assertLinkCaps(text, 'comment');
  const rendered = await renderPool().render(spaceKey, text, { owner: viewer.id });
  return { text, html: rendered.html, excerpt: rendered.text.replace(/\s+/g, ' ').trim().slice(0, 200) };
}

/** A comment the viewer may read (404 otherwise) and write to (409 in an archived space), with its space. */
function loadComment(viewer: Viewer | null, id: number) {
  if (!viewer) throw unauthorized();
  const row = Number.isSafeInteger(id) ? byId().get(id) : undefined;
  const space = row && findSpace(row.spaceKey);
  if (!row || !space || !can(viewer, 'read', space)) throw notFound();
  assertCan(viewer, 'contribute', space); // only writes load a comment
  return { row, space };
}

/** Posts a comment (a reply when `parent` names a comment of the same page); returns its id. */
export async function postComment(viewer: Viewer | null, spaceKey: string, path: string, input: { markdown?: unknown; parent?: unknown }): Promise<{ id: number }> {
  const { space, page } = loadPage(viewer, spaceKey, path, 'contribute');
  let thread: Row | undefined;
  if (input.parent !== undefined && input.parent !== null) {
    const parent = Number(input.parent);
    const row = Number.isSafeInteger(parent) ? byId().get(parent) : undefined;
    if (!row || row.pageId !== page.id) throw badInput('parent: no such comment on this page');
    // A reply to a reply joins the same thread.
    thread = row.parentId === null ? row : byId().get(row.parentId);
    if (!thread) throw badInput('parent: no such comment on this page');
  }
  const { text, html, excerpt } = await prepareText(viewer!, space.key, input.markdown);
  const mentioned = mentionedPeople(space, text).map((p) => p.id);
  return write(() => {
    // The page may have been deleted or moved while the comment was rendered.
    if (findLivePage(space.id, page.path)?.id !== page.id) throw notFound();
    const { id } = insert().get(page.id, thread?.id ?? null, viewer!.id, text, html)!;
    notifyComment(space, { pageId: page.id, commentId: id, authorId: viewer!.id, excerpt, mentioned, threadAuthorId: thread?.authorId ?? null });
    return { id };
  });
}

/** Edits the viewer's own comment, or resolves/reopens a thread. */
export async function updateComment(viewer: Viewer | null, id: number, input: { markdown?: unknown; resolved?: unknown }): Promise<{ id: number; resolved?: boolean; editedAt?: string }> {
  const { row, space } = loadComment(viewer, id);
  if (input.resolved !== undefined) {
    if (typeof input.resolved !== 'boolean') throw badInput('resolved must be true or false');
    if (input.markdown !== undefined) throw badInput('Send either markdown or resolved, not both');
    if (row.parentId !== null) throw badInput('Only a thread (its first comment) is resolved');
    if (row.authorId !== viewer!.id) assertCan(viewer, 'edit', space);
    write(() => setResolved().run(input.resolved ? Date.now() : null, input.resolved ? viewer!.id : null, row.id));
    return { id: row.id, resolved: input.resolved };
  }
  if (row.deletedAt !== null) throw notFound();
  if (row.authorId !== viewer!.id) throw forbidden('Only its author may edit a comment', { code: 'commentAuthorOnly' });
  const { text, html, excerpt } = await prepareText(viewer!, space.key, input.markdown);
  // Only people the edit newly mentions are told; those mentioned before already were.
  const before = new Set(mentionedPeople(space, row.markdown).map((p) => p.id));
  const mentioned = mentionedPeople(space, text).map((p) => p.id).filter((p) => !before.has(p));
  const editedAt = Date.now();
  write(() => {
    if (byId().get(row.id)?.deletedAt !== null) throw notFound(); // deleted meanwhile
    update().run(text, html, editedAt, row.id);
    notifyComment(space, { pageId: row.pageId, commentId: row.id, authorId: viewer!.id, excerpt, mentioned, threadAuthorId: null }, true);
  });
  return { id: row.id, editedAt: iso(editedAt)! };
}

/** Deletes a comment (its author or a space admin). A thread's first comment with replies stays as a placeholder. */
export function deleteComment(viewer: Viewer | null, id: number): void {
  const { row, space } = loadComment(viewer, id);
  if (row.deletedAt !== null) throw notFound();
  if (row.authorId !== viewer!.id) assertCan(viewer, 'admin', space);
  write(() => softDelete().run(Date.now(), row.id));
}
