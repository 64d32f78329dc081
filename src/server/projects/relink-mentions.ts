// Pages written before a project existed name its keys ("ATL-3") without counting as mentions:
// once the project exists, their keys are recorded as mentions on its requirements. (The stored
// HTML already marks every key-shaped word; the view decides what to link.)
import { and, asc, eq, isNull, like } from 'drizzle-orm';
import { pages, revisions, spaces } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { renderPage } from '../pages/render-page.ts';
import { replaceMentions } from '../requirements/links.ts';

/** Records the mentions of this project's keys (`ATL-3`) in live pages; returns how many pages changed. */
export function relinkProjectMentions(tx: Db, projectKey: string): number {
  const rows = tx.select({ id: pages.id, path: pages.path, title: pages.title, revision: pages.revision, spaceKey: spaces.key })
    .from(pages).innerJoin(spaces, eq(spaces.id, pages.spaceId))
    .where(and(isNull(pages.deletedAt), like(pages.text, `%${projectKey}-%`))).orderBy(asc(pages.id)).all();
  let changed = 0;
  for (const page of rows) {
    const { markdown } = tx.select({ markdown: revisions.markdown }).from(revisions)
      .where(and(eq(revisions.pageId, page.id), eq(revisions.number, page.revision))).get()!;
    // Rendered for its mentions: keys inside code or links are not mentions.
    if (replaceMentions(tx, page, page.spaceKey, renderPage(page.spaceKey, markdown).mentions, null)) changed++;
  }
  return changed;
}
