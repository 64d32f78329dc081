// Saving a page: validate, render, then in one transaction check the base revision,
// append the revision, update the page, its links and the search outbox.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { links, pages, revisions } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { prepared, write, type Db } from '../db.ts';
import { badInput, conflict, notFound, tooLarge } from '../errors.ts';
import { assertLinkCaps } from '../markdown/link-caps.ts';
import type { Rendered } from '../markdown/render.ts';
import { enqueue, wakeOutbox } from '../outbox.ts';
import type { Space } from '../spaces/spaces.ts';
import { findSpace } from '../spaces/spaces.ts';
import { MAX_MARKDOWN_BYTES, normalizePagePath, titleKey, validateTags, validateTitle } from './page-path.ts';
import { renderPool } from './render-pool.ts';
import { bumpTreeVersion } from './tree.ts';
import { replaceMentions } from '../requirements/links.ts';
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

export interface SaveResult { revision: number; created: boolean; changed: boolean; path: string }

export interface ValidSave {
  path: string;
  title: string | undefined;
  markdown: string;
  tags: string[] | undefined;
  baseRevision: number | undefined;
  message: string;
}
export type PreparedSave = ValidSave & { rendered: Rendered };

/** One form for stored Markdown: LF line ends, NFC (so "é" typed two ways is one text). */
export function normalizeMarkdown(markdown: string): string {
  return markdown.replace(/\r\n?/g, '\n').normalize('NFC');
}

export function validateSave(input: SaveInput): ValidSave {
  if (typeof input.markdown !== 'string') throw badInput('markdown must be a string');
  if (Buffer.byteLength(input.markdown) > MAX_MARKDOWN_BYTES) throw tooLarge('A page body is at most 2 MB');
  const base = input.baseRevision;
  if (base !== undefined && (!Number.isSafeInteger(base) || base < 1)) throw badInput('baseRevision must be a positive integer');
  const message = (input.message ?? '').trim();
  if (message.length > 500) throw badInput('A revision message is at most 500 characters');
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
const pageFields = {
  title: ph('title'), titleKey: ph('titleKey'), tags: ph('tags'), revision: ph('revision'), html: ph('html'), text: ph('text'),
  headings: ph('headings'), sections: ph('sections'), updatedAt: ph('updatedAt'), updatedBy: ph('updatedBy'),
};
const insertPage = prepared((d) => d.insert(pages).values({ spaceId: ph('spaceId'), path: ph('path'), ...pageFields }).returning({ id: pages.id }).prepare());
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
  if (!page && p.baseRevision !== undefined) throw conflict('The page was deleted or moved since you started editing', { current: null });
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
    : insertPage().get({ ...fields, spaceId: space.id, path: p.path })!.id;
  insertRevision().run({ pageId, number: revision, title, markdown: p.markdown, tags, authorId, message: p.message, createdAt: now });
  replaceLinks(pageId, rendered);
  replaceMentions(tx, { id: pageId, path: p.path, title }, space.key, rendered.mentions, authorId);
  enqueue(tx, 'index-page', pageId);
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

export async function savePage(viewer: Viewer | null, input: SaveInput): Promise<SaveResult> {
  const space = findSpace(input.space);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  const valid = validateSave(input);
  const rendered = await renderPool().render(space.key, valid.markdown);
  const result = write((tx) => {
    const saved = commitSave(tx, space, viewer!.id, { ...valid, rendered });
    discardDraft(tx, viewer!.id, space.id, saved.path);
    return saved;
  });
  if (result.changed) wakeOutbox();
  return result;
}
