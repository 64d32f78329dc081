// Pages written before a project existed show its keys ("ATL-3") as plain text: rendering them
// again once the project exists turns the keys into links and records the mentions.
import { and, asc, eq, isNull, like } from 'drizzle-orm';
import { pages, revisions, spaces } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { renderPage } from '../pages/render-page.ts';
import { replaceMentions } from '../requirements/links.ts';

/**
 * Re-renders the live pages whose text mentions a key of this project (`ATL-3`), so the keys
 * become links and count as mentions on the requirements. Returns how many pages changed.
 */
export function relinkProjectMentions(tx: Db, projectKey: string): number {
  const rows = tx.select({ id: pages.id, path: pages.path, title: pages.title, revision: pages.revision, html: pages.html, spaceKey: spaces.key })
    .from(pages).innerJoin(spaces, eq(spaces.id, pages.spaceId))
    .where(and(isNull(pages.deletedAt), like(pages.text, `%${projectKey}-%`))).orderBy(asc(pages.id)).all();
  let changed = 0;
  for (const page of rows) {
    const { markdown } = tx.select({ markdown: revisions.markdown }).from(revisions)
      .where(and(eq(revisions.pageId, page.id), eq(revisions.number, page.revision))).get()!;
    const rendered = renderPage(tx, page.spaceKey, markdown);
    if (rendered.html === page.html) continue;
    tx.update(pages).set({ html: rendered.html }).where(eq(pages.id, page.id)).run();
    replaceMentions(tx, page, page.spaceKey, rendered.mentions, null);
    enqueue(tx, 'index-page', page.id);
    changed++;
  }
  return changed;
}
