// Attachment rows: creating, listing, deleting, and the download check. An attachment belongs to
// a page by id, so it moves with the page and is hidden while the page is deleted; every read
// checks that the viewer may read the page's space, with the one 404 for "not yours" and "none".
import { assertCan, can, type Viewer } from '../access/index.ts';
import { readCache } from '../db-cache.ts';
import { prepared, write, type Db } from '../db.ts';
import { notFound } from '../errors.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import { loadPage } from '../pages/get-page.ts';

export interface Attachment { id: number; name: string; type: string; size: number; sha256: string; url: string }
export interface ListedAttachment extends Attachment { uploader: string | null; createdAt: string }

/** Where an attachment is served. The name is only for the reader: the id decides. */
export const attachmentUrl = (id: number, name: string) => `/files/${id}/${encodeURIComponent(name)}`;

// Attachment URLs in Markdown, relative or absolute: ![shot](/files/12/shot.png), https://wiki/files/12/x.
const URL_IN_MARKDOWN = /\/files\/(\d{1,15})\//g;

export function attachmentIdsIn(markdown: string): number[] {
  return [...new Set([...markdown.matchAll(URL_IN_MARKDOWN)].map((m) => Number(m[1])))];
}

interface Row { id: number; name: string; type: string; size: number; sha256: string }
const toAttachment = (r: Row): Attachment => ({ id: r.id, name: r.name, type: r.type, size: r.size, sha256: r.sha256, url: attachmentUrl(r.id, r.name) });

const insertRow = prepared((d) => d.$client.prepare<{ pageId: number | null; sha256: string; name: string; type: string; size: number; uploaderId: number | null; text: string }, Row>(
  `insert into attachments (page_id, sha256, name, type, size, uploader_id, text)
   values (@pageId, @sha256, @name, @type, @size, @uploaderId, @text) returning id, name, type, size, sha256`,
));

export interface NewAttachment { sha256: string; name: string; type: string; size: number; text: string }

/** Names an already stored (and fsynced) file for a page; the page's search document gains its name. */
export function insertAttachment(tx: Db, pageId: number | null, uploaderId: number | null, file: NewAttachment): Attachment {
  const row = insertRow().get({ pageId, uploaderId, ...file })!;
  if (pageId !== null) enqueue(tx, 'index-page', pageId);
  return toAttachment(row);
}

export function addAttachment(pageId: number | null, uploaderId: number, file: NewAttachment): Attachment {
  const attachment = write((tx) => insertAttachment(tx, pageId, uploaderId, file));
  wakeOutbox();
  return attachment;
}

const pageAttachments = prepared((d) => d.$client.prepare<[number], Row & { uploader: string | null; createdAt: number }>(
  `select a.id, a.name, a.type, a.size, a.sha256, u.name as uploader, a.created_at as createdAt
   from attachments a left join users u on u.id = a.uploader_id
   where a.page_id = ? and a.deleted_at is null order by a.created_at, a.id`,
));

/** A live page's attachments, for a viewer who may read it. */
export function listAttachments(viewer: Viewer | null, spaceKey: string, path: string): readonly ListedAttachment[] {
  const { page } = loadPage(viewer, spaceKey, path);
  return listPageAttachments(page.id);
}

// Every page view lists its page's attachments: remembered until the database changes (db-cache.ts).
const listed = readCache<number, readonly ListedAttachment[]>({ entries: 5000 });

export function listPageAttachments(pageId: number): readonly ListedAttachment[] {
  return listed.get(pageId, () => Object.freeze(pageAttachments().all(pageId)
    .map((r) => Object.freeze({ ...toAttachment(r), uploader: r.uploader, createdAt: new Date(r.createdAt).toISOString() }))));
}

interface Located extends Row { pageId: number; spaceId: number; visibility: 'org' | 'restricted'; archived: number }
const located = prepared((d) => d.$client.prepare<[number], Located>(
  `select a.id, a.name, a.type, a.size, a.sha256, a.page_id as pageId, s.id as spaceId, s.visibility, s.archived
   from attachments a join pages p on p.id = a.page_id join spaces s on s.id = p.space_id
   where a.id = ? and a.deleted_at is null and p.deleted_at is null`,
));

const pendingOf = prepared((d) => d.$client.prepare<[number, number], Row>(
  'select id, name, type, size, sha256 from attachments where id = ? and page_id is null and deleted_at is null and uploader_id = ?',
));

/**
 * The attachment behind a file URL, if the viewer may read its page: the same test as a page view.
 * A file uploaded for a page not saved yet (page_id null) is its uploader's alone until then.
 */
export function attachmentForDownload(viewer: Viewer | null, id: number): Attachment {
  if (!Number.isSafeInteger(id)) throw notFound();
  const row = located().get(id);
  if (row && can(viewer, 'read', { id: row.spaceId, visibility: row.visibility })) return toAttachment(row);
  const pending = viewer ? pendingOf().get(id, viewer.id) : undefined;
  if (pending) return toAttachment(pending);
  throw notFound();
}

const softDelete = prepared((d) => d.$client.prepare<[number, number]>('update attachments set deleted_at = ? where id = ?'));

/** Deletes one attachment (softly: a revision that links to it brings it back when restored). */
export function deleteAttachment(viewer: Viewer | null, id: number): void {
  const row = Number.isSafeInteger(id) ? located().get(id) : undefined;
  if (!row) throw notFound();
  assertCan(viewer, 'edit', { id: row.spaceId, visibility: row.visibility, archived: row.archived === 1 });
  write((tx) => {
    softDelete().run(Date.now(), id);
    enqueue(tx, 'index-page', row.pageId);
  });
  wakeOutbox();
}

const linkRevision = prepared((d) => d.$client.prepare<{ pageId: number; number: number; ids: string }>(
  `insert or ignore into revision_attachments (revision_id, attachment_id)
   select r.id, a.id from revisions r join attachments a on a.page_id = r.page_id
   where r.page_id = @pageId and r.number = @number and a.id in (select value from json_each(@ids))`,
));
const undelete = prepared((d) => d.$client.prepare<{ pageId: number; ids: string }>(
  `update attachments set deleted_at = null
   where page_id = @pageId and deleted_at is not null and id in (select value from json_each(@ids))`,
));

/**
 * In a save's transaction: the new revision remembers the page's attachments its Markdown links
 * to. Those deleted since come back only when the save restores an old revision (`restoring`): an
 * ordinary save of text that still links to a deleted file must not publish it again.
 */
export function recordRevisionAttachments(pageId: number, number: number, markdown: string, restoring: boolean): void {
  const ids = attachmentIdsIn(markdown);
  if (ids.length === 0) return;
  const json = JSON.stringify(ids);
  linkRevision().run({ pageId, number, ids: json });
  if (restoring) undelete().run({ pageId, ids: json });
}

const inCurrentText = prepared((d) => d.$client.prepare<[number], { id: number }>(
  `select ra.attachment_id as id from pages p join revisions r on r.page_id = p.id and r.number = p.revision
   join revision_attachments ra on ra.revision_id = r.id where p.id = ?`,
));

const inText = readCache<number, ReadonlySet<number>>({ entries: 5000 });

/** The ids of the page's attachments its current text links to (the delete confirmation warns about them). */
export function attachmentsInCurrentText(pageId: number): ReadonlySet<number> {
  return inText.get(pageId, () => new Set(inCurrentText().all(pageId).map((r) => r.id)));
}

const claimRows = prepared((d) => d.$client.prepare<{ pageId: number; ids: string; uploaderId: number | null }>(
  'update attachments set page_id = @pageId where page_id is null and uploader_id is @uploaderId and id in (select value from json_each(@ids))',
));

/**
 * Attachments stored before their page existed join it, in the page's commit: a folder import's
 * (uploader null), or those a writer uploaded while writing a new page, which only that writer's
 * own save can claim.
 */
export function claimAttachments(pageId: number, ids: number[], uploaderId: number | null): void {
  if (ids.length) claimRows().run({ pageId, ids: JSON.stringify(ids), uploaderId });
}
