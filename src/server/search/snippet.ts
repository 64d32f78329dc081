// Snippets made here rather than by Meilisearch: cropping re-reads the matched text of every
// hit inside Meilisearch and was most of its query time. We get the (short, per-section) text
// back and cut a window around the first query term, marking every term in it.
import { escapeHtml } from '../html.ts';

const WINDOW = 220;
const BEFORE = 60;

/** Query words, plus two-character pieces of longer Chinese words (as the segmenter may split them). */
export function queryTerms(q: string): string[] {
  const terms = new Set<string>();
  for (const word of q.toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    if (!word) continue;
    terms.add(word);
    if (/^\p{Script=Han}{3,}$/u.test(word)) for (let i = 0; i + 2 <= word.length; i++) terms.add(word.slice(i, i + 2));
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function makeSnippet(text: string, terms: string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (!flat) return '';
  const lower = flat.toLowerCase();
  let first = -1;
  for (const term of terms) {
    const at = lower.indexOf(term);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  let start = first < 0 ? 0 : Math.max(0, first - BEFORE);
  if (start > 0) {
    const space = flat.lastIndexOf(' ', start);
    if (space > start - 20) start = space + 1; // begin on a word where there is one nearby
  }
  const end = Math.min(flat.length, start + WINDOW);
  const window = flat.slice(start, end);
  const marked = terms.length === 0 ? escapeHtml(window) : window
    .split(new RegExp(`(${terms.map(escapeRegExp).join('|')})`, 'giu'))
    .map((part, i) => (i % 2 === 1 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
    .join('');
  return `${start > 0 ? '…' : ''}${marked}${end < flat.length ? '…' : ''}`;
}
