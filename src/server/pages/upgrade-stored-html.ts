// HTML stored before wiki links were resolved for each reader (html-for-viewer.ts) names the real
// path of each link's target, whoever reads it; HTML stored before task list boxes were named
// leaves them nameless; HTML stored before heading anchors left the tab order gives a keyboard a
// stop that a screen reader announces as nothing. At start, such pages and requirement descriptions are rendered again, once; the Markdown they come from is unchanged. The database's user_version
// records that it was done, so later starts do not scan every page again.
import { db, write } from '../db.ts';
import { RenderPool } from './render-pool.ts';

interface Stale { id: number; spaceKey: string; markdown: string }

/**
 * The stored HTML's format: 1 = wiki links unresolved (data-wiki), every key-shaped word marked;
 * 2 = task list boxes named by their item's text (markdown/task-lists.ts); 3 = heading anchors out
 * of the tab order (markdown/outline.ts).
 */
const HTML_FORMAT = 3;
const oldFormat = (html: string) => `((${html} like '%class="wikilink%' and ${html} not like '%data-wiki=%')
  or (${html} like '%<input type="checkbox"%' and ${html} not like '%aria-label=%')
  or ${html} like '%aria-hidden="true">#</a>%')`;

/** Renders stale stored HTML again; returns how many pages and requirements changed. */
export async function upgradeStoredHtml(): Promise<number> {
  const d = db().$client;
  if ((d.pragma('user_version', { simple: true }) as number) >= HTML_FORMAT) return 0;
  const pages = d.prepare<[], Stale>(`select p.id, s.key as spaceKey, r.markdown from pages p join spaces s on s.id = p.space_id
    join revisions r on r.page_id = p.id and r.number = p.revision where ${oldFormat('p.html')}`).all();
  const reqs = d.prepare<[], Stale>(`select r.id, s.key as spaceKey, r.markdown from requirements r join projects p on p.id = r.project_id
    join spaces s on s.id = p.space_id where ${oldFormat('r.html')}`).all();
  const done = () => d.pragma(`user_version = ${HTML_FORMAT}`);
  if (pages.length + reqs.length === 0) return (done(), 0);
  const pool = new RenderPool();
  try {
    const render = (rows: Stale[]) => Promise.all(rows.map(async (r) => ({ id: r.id, html: (await pool.render(r.spaceKey, r.markdown)).html })));
    const [pageHtml, reqHtml] = [await render(pages), await render(reqs)];
    write((tx) => {
      const setPage = tx.$client.prepare<[string, number]>('update pages set html = ? where id = ?');
      const setReq = tx.$client.prepare<[string, number]>('update requirements set html = ? where id = ?');
      for (const r of pageHtml) setPage.run(r.html, r.id);
      for (const r of reqHtml) setReq.run(r.html, r.id);
      done();
    });
  } finally {
    await pool.close();
  }
  return pages.length + reqs.length;
}
