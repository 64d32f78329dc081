// "Did you mean": a corrected query built from the index's own vocabulary, the words of page
// titles, headings and tags. Each word remembers the spaces it comes from, so a suggestion only
// ever uses words of spaces the reader may read. Latin-script words only: a Chinese "typo" is a
// different word, not a misspelling.
import { readCache } from '../db-cache.ts';
import { db } from '../db.ts';

const REBUILD_AFTER_MS = 5 * 60_000;
const WORD = /^[a-z0-9][a-z0-9-]*$/;

interface Vocabulary { builtAt: number; spaces: Map<string, Map<number, number>>; byLength: string[][] }
let vocabulary: Vocabulary | undefined;

/** Word → (space → count), and the words by length; from one pass over the live pages. */
function buildVocabulary(): Vocabulary {
  const spaces = new Map<string, Map<number, number>>();
  const rows = db().$client.prepare<[], { spaceId: number; words: string }>(
    `select space_id as spaceId, title || ' ' || headings || ' ' || tags as words from pages where deleted_at is null`,
  ).iterate();
  for (const { spaceId, words } of rows) {
    // Headings and tags are JSON: their keys ("depth", "id", "text") are not words of the page.
    for (const w of words.toLowerCase().replace(/"(depth|id|text)":/g, ' ').split(/[^\p{L}\p{N}-]+/u)) {
      if (w.length < 2 || !WORD.test(w)) continue;
      const bySpace = spaces.get(w) ?? spaces.set(w, new Map()).get(w)!;
      bySpace.set(spaceId, (bySpace.get(spaceId) ?? 0) + 1);
    }
  }
  const byLength: string[][] = [];
  for (const w of spaces.keys()) (byLength[w.length] ??= []).push(w);
  return { builtAt: Date.now(), spaces, byLength };
}

/** The vocabulary, rebuilt when a few minutes old: only searches that find little ask for it. */
function currentVocabulary(): Vocabulary {
  if (!vocabulary || Date.now() - vocabulary.builtAt > REBUILD_AFTER_MS) vocabulary = buildVocabulary();
  return vocabulary;
}

// Rows of the distance table, reused: the distance is computed for thousands of words per suggestion.
const MAX_WORD = 64;
const rows = [new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1), new Int32Array(MAX_WORD + 1)] as const;

/** Edit distance with adjacent transpositions (optimal string alignment); any value above `max` means "too far". */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max || a.length > MAX_WORD || b.length > MAX_WORD) return max + 1;
  let [prev2, prev, cur] = rows;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** A suggested query from these spaces' vocabulary, or null when every word is known or nothing is close. */
export function suggestQuery(q: string, spaceIds: number[]): string | null {
  const vocab = currentVocabulary();
  const readable = new Set(spaceIds);
  const count = (w: string) => {
    let n = 0;
    for (const [space, c] of vocab.spaces.get(w) ?? []) if (readable.has(space)) n += c;
    return n;
  };
  const tokens = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 8) return null;
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    // One word typed as two ("name space"), then (for an unknown word) one letter off, then two
    // words typed as one ("gitcommit"), then two letters off (long words only).
    if (next && WORD.test(t) && WORD.test(next) && count(t + next) > 0) { out.push(t + next); i++; changed = true; continue; }
    if (!WORD.test(t) || t.length < 3 || count(t) > 0) { out.push(t); continue; }
    const fix = nearest(t, 1, vocab, count)
      ?? splitWord(t, count)
      ?? (t.length >= 6 ? nearest(t, 2, vocab, count) : null);
    out.push(fix ?? t);
    changed ||= fix !== null;
  }
  return changed ? out.join(' ') : null;
}

function splitWord(t: string, count: (w: string) => number): string | null {
  for (let k = 3; k <= t.length - 3; k++) if (count(t.slice(0, k)) > 0 && count(t.slice(k)) > 0) return `${t.slice(0, k)} ${t.slice(k)}`;
  return null;
}

/** The most frequent readable word exactly `d` edits away. */
function nearest(t: string, d: number, vocab: Vocabulary, count: (w: string) => number): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (let len = t.length - d; len <= t.length + d; len++) {
    for (const w of vocab.byLength[len] ?? []) {
      // Most words differ in both of their first two letters: no need to align them.
      if (d === 1 && w[0] !== t[0] && w[1] !== t[1]) continue;
      if (editDistance(t, w, d) !== d) continue;
      const n = count(w);
      if (n > bestCount) { best = w; bestCount = n; }
    }
  }
  return best;
}
