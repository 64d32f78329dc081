// Saving a page: validate, merge a stale save with the current revision, render, then in one
// transaction check the base revision, append the revision, update the page, its links and the search outbox.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { links, pages, revisions, users } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { prepared, write, type Db } from '../db.ts';
import { badInput, conflict, DomainError, notFound, tooLarge } from '../errors.ts';
import { assertLinkCaps } from '../markdown/link-caps.ts';
import type { Rendered } from '../markdown/render.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import type { Space } from '../spaces/spaces.ts';
import { findSpace } from '../spaces/spaces.ts';
import { MAX_MARKDOWN_BYTES, normalizePagePath, titleKey, validateTags, validateTitle } from './page-path.ts';
import { mergeMarkdown, mergedText, mergeTags, mergeValue, type MergeBlock } from './merge.ts';
import { renderPool } from './render-pool.ts';
import { bumpTreeVersion } from './tree.ts';
import { replaceMentions } from '../requirements/links.ts';
import { attachmentIdsIn, claimAttachments, recordRevisionAttachments } from '../attachments/attachments.ts';
import { notifyPageSaved } from '../watching/notify-watchers.ts';
import { sawOwnRevision } from '../watching/last-seen.ts';
import { discardDraft } from '../editor/drafts.ts';

export interface SaveInput {
  space: string;
  path: string;
  title?: string;
  markdown: string;
  tags?: unknown;
  baseRevision?: number;
  message?: string;
}

/** What a 409 for a stale save carries: the current revision and, when it was merged and collided, the merge. */
export interface ConflictCurrent { revision: number; markdown: string; title: string; author?: string | null }
export interface ConflictMerge { base: number; blocks: MergeBlock[]; title: string | null }

/** `mergedWith`: the save came from an older revision and was merged with this (then current) one. */
export interface SaveResult { revision: number; created: boolean; changed: boolean; path: string; mergedWith?: number }

export interface ValidSave {
  path: string;
  title: string | undefined;
  markdown: string;
  tags: string[] | undefined;
  baseRevision: number | undefined;
  message: string;
}
/** `restoresFiles`: the save restores an old revision, so the deleted attachments it links to come back. */
export type PreparedSave = ValidSave & { rendered: Rendered; restoresFiles?: boolean };

/** One form for stored Markdown: LF line ends, NFC (so "é" typed two ways is one text). */
export function normalizeMarkdown(markdown: string): string {
  return markdown.replace(/\r\n?/g, '\n').normalize('NFC');
}

function assertBodyFits(markdown: string): void {
  if (Buffer.byteLength(markdown) > MAX_MARKDOWN_BYTES) throw tooLarge('A page body is at most 2 MB', { code: 'pageTooLarge' });
}

export function validateSave(input: SaveInput): ValidSave {
  if (typeof input.markdown !== 'string') throw badInput('markdown must be a string');
  assertBodyFits(input.markdown);
  const base = input.baseRevision;
  if (base !== undefined && (!Number.isSafeInteger(base) || base < 1)) throw badInput('baseRevision must be a positive integer');
  const message = (input.message ?? '').trim();
  if (message.length > 500) throw badInput('A revision message is at most 500 characters', { code: 'revisionMessageTooLong' });
  const markdown = normalizeMarkdown(input.markdown);
  assertLinkCaps(markdown, 'page');
  return {
    path: normalizePagePath(input.path),
    title: input.title === undefined ? undefined : validateTitle(input.title),
    markdown,
    tags: input.tags === undefined ? undefined : validateTags(input.tags),
    baseRevision: base,
    message,
  };
}

const firstHeading = (r: Rendered) => r.headings.find((h) => h.depth === 1)?.text;

// The statements of a save, prepared once: an import runs them for every new page.
const ph = sql.placeholder;
const livePageAt = prepared((d) => d.select().from(pages)
  .where(and(eq(pages.spaceId, ph('spaceId')), eq(pages.path, ph('path')), isNull(pages.deletedAt))).prepare());
const revisionMarkdown = prepared((d) => d.select({ markdown: revisions.markdown }).from(revisions)
  .where(and(eq(revisions.pageId, ph('pageId')), eq(revisions.number, ph('number')))).prepare());
const revisionAt = prepared((d) => d.select({ title: revisions.title, markdown: revisions.markdown, tags: revisions.tags, author: users.name })
  .from(revisions).leftJoin(users, eq(users.id, revisions.authorId))
  .where(and(eq(revisions.pageId, ph('pageId')), eq(revisions.number, ph('number')))).prepare());
const pageFields = {
  title: ph('title'), titleKey: ph('titleKey'), tags: ph('tags'), revision: ph('revision'), html: ph('html'), text: ph('text'),
  headings: ph('headings'), sections: ph('sections'), updatedAt: ph('updatedAt'), updatedBy: ph('updatedBy'),
};
// A new page is owned by whoever creates it (an import decides its owner itself: content-io).
const insertPage = prepared((d) => d.insert(pages).values({ spaceId: ph('spaceId'), path: ph('path'), ownerId: ph('ownerId'), ...pageFields }).returning({ id: pages.id }).prepare());
const insertRevision = prepared((d) => d.insert(revisions).values({
  pageId: ph('pageId'), number: ph('number'), title: ph('title'), markdown: ph('markdown'), tags: ph('tags'),
  authorId: ph('authorId'), message: ph('message'), createdAt: ph('createdAt'),
}).prepare());
const deleteLinksFrom = prepared((d) => d.delete(links).where(eq(links.fromPageId, ph('pageId'))).prepare());
const insertLink = prepared((d) => d.insert(links).values({ fromPageId: ph('pageId'), toSpaceKey: ph('space'), toTitleKey: ph('key') }).prepare());

/** The transactional half of a save; imports call it for many pages in one transaction. */
export function commitSave(tx: Db, space: Space, authorId: number | null, p: PreparedSave): SaveResult {
  const page = livePageAt().get({ spaceId: space.id, path: p.path });
  const markdownOf = (pageId: number, number: number) => revisionMarkdown().get({ pageId, number })!.markdown;
  if (page && p.baseRevision !== undefined && p.baseRevision !== page.revision) {
    if (p.baseRevision > page.revision) throw badInput(`baseRevision ${p.baseRevision} does not exist (the page is at ${page.revision})`);
    throw conflict('The page was changed since you started editing', { current: { revision: page.revision, markdown: markdownOf(page.id, page.revision), title: page.title } });
  }
  if (!page && p.baseRevision !== undefined) throw conflict('The page was deleted or moved since you started editing', { current: null, code: 'pageGone' });
  const fallbackTitle = firstHeading(p.rendered) ?? (p.path.split('/').pop() || space.name);
  const title = p.title ?? page?.title ?? validateTitle(fallbackTitle);
  const tags = p.tags ?? page?.tags ?? [];
  const now = Date.now();

  if (page) {
    const same = markdownOf(page.id, page.revision) === p.markdown && page.title === title && JSON.stringify(page.tags) === JSON.stringify(tags);
    if (same) return { revision: page.revision, created: false, changed: false, path: page.path };
  }

  const revision = (page?.revision ?? 0) + 1;
  const { rendered } = p;
  const fields = {
    title, titleKey: titleKey(title), tags, revision,
    html: rendered.html, text: rendered.text, headings: rendered.headings, sections: rendered.sections,
    updatedAt: now, updatedBy: authorId,
  };
  const pageId = page
    ? (tx.update(pages).set(fields).where(eq(pages.id, page.id)).run(), page.id)
    : insertPage().get({ ...fields, spaceId: space.id, path: p.path, ownerId: authorId })!.id;
  insertRevision().run({ pageId, number: revision, title, markdown: p.markdown, tags, authorId, message: p.message, createdAt: now });
  // Files the author uploaded while writing a page not saved yet join it with this first save.
  if (authorId !== null) claimAttachments(pageId, attachmentIdsIn(p.markdown), authorId);
  recordRevisionAttachments(pageId, revision, p.markdown, p.restoresFiles === true);
  replaceLinks(pageId, rendered);
  replaceMentions(tx, { id: pageId, path: p.path, title }, space.key, rendered.mentions, authorId);
  enqueue(tx, 'index-page', pageId);
  notifyPageSaved(space, pageId, authorId, revision);
  if (authorId !== null) sawOwnRevision(authorId, pageId, revision, now);
  if (!page || page.title !== title) bumpTreeVersion(tx, space.id);
  return { revision, created: !page, changed: true, path: p.path };
}

function replaceLinks(pageId: number, rendered: Rendered): void {
  deleteLinksFrom().run({ pageId });
  const seen = new Set<string>();
  for (const ref of rendered.links) {
    const key = titleKey(ref.title);
    if (seen.has(`${ref.space}\u0000${key}`)) continue;
    seen.add(`${ref.space}\u0000${key}`);
    insertLink().run({ pageId, space: ref.space, key });
  }
}

/**
 * A save started from an older revision than the current one, merged with it against the revision
 * both started from (what is saved then names the current revision as its base, so the commit
 * refuses it if yet another save came in meanwhile). Changes to the same lines, or two different
 * new titles, are a conflict: 409 with the current revision and the merge's blocks.
 */
function mergeStale(space: Space, save: ValidSave): { save: ValidSave; mergedWith?: number } {
  const page = save.baseRevision === undefined ? undefined : livePageAt().get({ spaceId: space.id, path: save.path });
  // No page, or a base that is current or does not exist: nothing to merge (commitSave answers the last two).
  if (!page || save.baseRevision! >= page.revision) return { save };
  const base = revisionAt().get({ pageId: page.id, number: save.baseRevision! })!;
  const current = revisionAt().get({ pageId: page.id, number: page.revision })!;
  const text = mergeMarkdown(base.markdown, save.markdown, current.markdown);
  const title = mergeValue(base.title, save.title ?? base.title, current.title);
  if (!text.clean || title === undefined) {
    throw conflict('The page was changed since you started editing, in the same places', {
      current: { revision: page.revision, markdown: current.markdown, title: current.title, author: current.author } satisfies ConflictCurrent,
      merge: { base: save.baseRevision!, blocks: text.blocks, title: title ?? null } satisfies ConflictMerge, // title null: both changed it
    });
  }
  const markdown = mergedText(text.blocks);
  assertBodyFits(markdown);
  assertLinkCaps(markdown, 'page');
  const tags = save.tags === undefined ? current.tags : mergeTags(base.tags, save.tags, current.tags);
  return { save: { ...save, markdown, title, tags, baseRevision: page.revision }, mergedWith: page.revision };
}

export async function savePage(viewer: Viewer | null, input: SaveInput, opts: { restoresFiles?: boolean } = {}): Promise<SaveResult> {
  const space = findSpace(input.space);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  const valid = validateSave(input);
  for (let attempt = 1; ; attempt++) {
    const { save, mergedWith } = mergeStale(space, valid);
    const rendered = await renderPool().render(space.key, save.markdown, { owner: viewer!.id });
    try {
      const result = write((tx) => {
        const saved = commitSave(tx, space, viewer!.id, { ...save, rendered, restoresFiles: opts.restoresFiles });
        discardDraft(tx, viewer!.id, space.id, saved.path);
        return saved;
      });
      if (result.changed) wakeOutbox();
      return mergedWith === undefined ? result : { ...result, mergedWith };
    } catch (err) {
      // Another save committed while this one rendered: merge with that one too (each retry means another save landed, so this ends).
      const overtaken = err instanceof DomainError && err.status === 409 && err.extra.current;
      if (!overtaken || valid.baseRevision === undefined || attempt === 8) throw err;
    }
  }
}
