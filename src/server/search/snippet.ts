// Snippets and title marks made here rather than by Meilisearch: its cropping re-reads the matched
// text of every hit and was most of its query time, and asking it to highlight even the title
// sends every retrieved field twice (`_formatted`), doubling the answer. We get the (short,
// per-section) text back, cut a window around the first query term, and mark every term:
// literal matches, case-insensitive (a hit found through a typo shows unmarked).
import { escapeHtml } from '../html.ts';
import { isStopWord } from './stop-words.ts';
import { contentWords } from './task-query.ts';

const WINDOW = 220;
const BEFORE = 60;
// Each run of white space becomes one space, as /\s+/g would make it, but the single spaces
// between words (most runs) are not matches: each match of a global replace allocates, and
// /\s+/g alone allocated ~4 kB of a snippet's ~7 (measured in process).
const SPACE_TO_FLATTEN = /\s{2,}|[^\S ]/g;

/**
 * Query words, plus the words a longer one holding Chinese is segmented into, as the index segments
 * it (病假证明 → 病假, 证明; 配置VPN → 配置, vpn; `keepWhole`: the synonyms' Chinese words, kept
 * whole), without single letters or question and filler words ("How do I…"), which would mark
 * everything.
 */
export function queryTerms(q: string, keepWhole: readonly string[] = []): string[] {
  const terms = new Set<string>();
  for (const word of q.toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    if (!word || isStopWord(word) || /^[a-z]$/.test(word)) continue;
    terms.add(word);
    if (/\p{Script=Han}/u.test(word) && [...word].length >= 3) for (const piece of contentWords(word, keepWhole)) if ([...piece].length >= 2) terms.add(piece);
  }
  return [...terms].sort((a, b) => b.length - a.length);
}

export interface Highlighter {
  /** All of a short text (a title), HTML-escaped, with the terms marked. */
  mark(text: string): string;
  /** A window of a long text around the first term (at `first`, when already known), flattened, HTML-escaped, with the terms marked. */
  snippet(text: string, first?: number): string;
  /** Where the first term is in a text, or -1. */
  firstMatch(text: string): number;
}

/** A highlighter for one query's terms: the patterns are compiled once per search, not per hit. */
export function highlighter(terms: string[]): Highlighter {
  // Longest first (queryTerms sorts so), so "病假证明" is marked whole rather than as "病假".
  const source = terms.map(RegExp.escape).join('|');
  const pattern = terms.length === 0 ? null : new RegExp(source, 'iu');
  // One pass that finds the terms (tried first at each place, so a term holding "&" is marked
  // whole) and the characters HTML needs escaped: splitting at the terms and escaping each part
  // allocated several times as much, per hit.
  const marker = new RegExp(`(${source})|[&<>"']`, 'giu');
  const mark = (text: string) => (pattern === null ? escapeHtml(text)
    : text.replace(marker, (found, term: string | undefined) => (term === undefined ? escapeHtml(found) : `<mark>${escapeHtml(term)}</mark>`)));
  const firstMatch = (text: string) => (pattern ? text.search(pattern) : -1);
  return {
    mark,
    firstMatch,
    snippet(text, first = firstMatch(text)) {
      // Only the neighbourhood of the first match is flattened and marked: a text may be long.
      // Enough before the match for BEFORE characters once spaces are collapsed, and for the window after.
      let from = first < 0 ? 0 : Math.max(0, first - BEFORE - 40);
      while (from > 0 && /\s/.test(text[from - 1]!) && /\s/.test(text[from]!)) from--; // the run of spaces counts as one
      const region = text.slice(from, from + BEFORE + 40 + WINDOW * 1.5);
      const flat = region.replace(SPACE_TO_FLATTEN, ' ').trimStart();
      if (!flat.trim()) return '';
      const at = pattern ? flat.search(pattern) : -1;
      let start = at < 0 ? 0 : Math.max(0, at - BEFORE);
      if (start > 0) {
        const space = flat.lastIndexOf(' ', start);
        if (space > start - 20) start = space + 1; // begin on a word where there is one nearby
      }
      const end = Math.min(flat.length, start + WINDOW);
      const cutBefore = from > 0 || start > 0;
      const cutAfter = end < flat.trimEnd().length || from + region.length < text.trimEnd().length;
      return `${cutBefore ? '…' : ''}${mark(flat.slice(start, end).trimEnd())}${cutAfter ? '…' : ''}`;
    },
  };
}
