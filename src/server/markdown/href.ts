// URL builders shared by the renderer and the wiki-link plugin.
import { slug } from 'github-slugger';

/** `/s/<space>/<seg>/<seg>`, every segment percent-encoded; empty path → `/s/<space>`. */
export function pageHref(space: string, path: string): string {
  const base = '/s/' + encodeURIComponent(space);
  if (path === '') return base;
  return base + '/' + path.split('/').map(encodeURIComponent).join('/');
}

/** Same slug rules as heading ids (lowercase, spaces → '-', punctuation dropped, CJK kept). */
export function slugify(text: string): string {
  return slug(text.trim());
}

/** Where a link to a page that does not exist yet goes: its editor, title prefilled. */
export function missingPageHref(space: string, title: string): string {
  const s = slugify(title) || 'page';
  return '/s/' + encodeURIComponent(space) + '/' + encodeURIComponent(s) + '?edit&title=' + encodeURIComponent(title);
}
