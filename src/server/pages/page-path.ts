// Page paths: the part of /s/<space>/<path> after the space, one segment per folder.
import { badInput } from '../errors.ts';

const MAX_PATH_BYTES = 512;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** NFKC first (so full-width "．．／" becomes "../"), then validate. '' is the space's home page. */
/** A page body's largest size in UTF-8. */
export const MAX_MARKDOWN_BYTES = 2 * 1024 * 1024;

export function normalizePagePath(raw: string): string {
  const path = raw.normalize('NFKC').replace(/^\/+|\/+$/g, '');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw badInput(`A page path is at most ${MAX_PATH_BYTES} bytes`, { code: 'pathTooLong', max: MAX_PATH_BYTES });
  if (CONTROL.test(path)) throw badInput('A page path may not contain control characters', { code: 'pathControl' });
  if (path.includes('\\')) throw badInput('A page path may not contain "\\"', { code: 'pathBackslash' });
  if (path === '') return '';
  // /s/<space>/-/… are the space's own views (its freshness): never a page (GitLab's convention).
  if (path === '-' || path.startsWith('-/')) throw badInput('A page path may not start with the segment "-"', { code: 'pathDash' });
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw badInput('A page path may not contain empty, "." or ".." segments', { code: 'pathSegment' });
    if (segment !== segment.trim()) throw badInput('A page path segment may not start or end with spaces', { code: 'pathSpaces' });
  }
  return path;
}

export function parentPath(path: string): string | null {
  if (path === '') return null;
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** A URL-friendly path segment for a new page's title; keeps CJK and other letters. */
export function slugify(title: string): string {
  return title.normalize('NFKC').toLowerCase().trim()
    .replace(/[\s_]+/g, '-')
    .replace(/[^\p{L}\p{N}-]+/gu, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || 'page';
}

/** Where the "new page" form saves: its path field, or under it (ending in "/" or empty) a slug of the title. */
export function newPagePath(pathField: string, title: string): string {
  return pathField.endsWith('/') || pathField.trim() === '' ? `${pathField}${slugify(title)}` : pathField;
}

/** What [[wiki links]] compare: titles and paths, case- and width-insensitive. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').trim().toLowerCase();
}

export function validateTitle(raw: string): string {
  const title = raw.normalize('NFC').trim();
  if (!title) throw badInput('A page needs a title', { code: 'titleRequired' });
  if ([...title].length > 300) throw badInput('A title is at most 300 characters', { code: 'titleTooLong' });
  if (CONTROL.test(title)) throw badInput('A title may not contain control characters', { code: 'titleControl' });
  return title;
}

export function validateTags(raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  const list = typeof raw === 'string' ? raw.split(',') : raw;
  if (!Array.isArray(list)) throw badInput('Tags are a list of strings');
  const tags = new Set<string>();
  for (const t of list) {
    if (typeof t !== 'string') throw badInput('Tags are a list of strings');
    const tag = t.normalize('NFC').trim();
    if (!tag) continue;
    if (tag.length > 64 || CONTROL.test(tag)) throw badInput('A tag is at most 64 characters, without control characters', { code: 'tagTooLong' });
    tags.add(tag);
  }
  if (tags.size > 50) throw badInput('At most 50 tags', { code: 'tooManyTags' });
  return [...tags];
}
