// Renders a page's Markdown with [[wiki links]] resolved against the live pages.
import { renderMarkdown, type Rendered, type WikiRef, type WikiTarget } from '../markdown/render.ts';
import type { Db } from '../db.ts';
import { titleKey } from './page-path.ts';

export const MAX_MARKDOWN_BYTES = 2 * 1024 * 1024;

/** Only the SQLite connection is used, so a render worker needs no drizzle (which is slow to load). */
export type Sql = Pick<Db, '$client'>;

export function resolveWikiRef(d: Sql, ref: WikiRef): WikiTarget | null {
  // By title first, else by exact path ([[vpn/windows]]); two queries so each uses its index.
  const find = (column: 'title_key' | 'path', value: string) => d.$client.prepare<[string, string], { path: string; title: string }>(
    `select p.path, p.title from pages p join spaces s on s.id = p.space_id
     where s.key = ? and p.deleted_at is null and p.${column} = ? order by p.id limit 1`,
  ).get(ref.space, value);
  const row = find('title_key', titleKey(ref.title)) ?? find('path', ref.title.normalize('NFC').trim());
  return row ? { space: ref.space, path: row.path, title: row.title } : null;
}

export function projectKeys(d: Sql): Set<string> {
  return new Set(d.$client.prepare<[], { key: string }>('select key from projects').all().map((r) => r.key));
}

export function renderPage(d: Sql, spaceKey: string, markdown: string): Rendered {
  return renderMarkdown(markdown, { space: spaceKey, resolve: (ref) => resolveWikiRef(d, ref), projectKeys: projectKeys(d) });
}
