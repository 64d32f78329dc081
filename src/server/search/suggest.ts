// "Did you mean": a corrected query built from the index's own vocabulary, the words of page
// titles, headings and tags. Per space, so a suggestion only ever uses words of spaces the
// reader may read. Latin-script words only: a Chinese "typo" is a different word, not a misspelling.
import { isNull } from 'drizzle-orm';
import { pages } from '../../../db/schema.ts';
import { db } from '../db.ts';

const REBUILD_AFTER_MS = 5 * 60_000;
const WORD = /^[a-z0-9][a-z0-9-]*$/;

let vocabulary: { builtAt: number; bySpace: Map<number, Map<string, number>> } | undefined;

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter((w) => w.length >= 2 && WORD.test(w));
}

/** Word counts per space; rebuilt lazily when a few minutes old (only searches that find little ask). */
function vocabularyBySpace(): Map<number, Map<string, number>> {
  if (vocabulary && Date.now() - vocabulary.builtAt < REBUILD_AFTER_MS) return vocabulary.bySpace;
  const bySpace = new Map<number, Map<string, number>>();
  const rows = db().select({ spaceId: pages.spaceId, title: pages.title, headings: pages.headings, tags: pages.tags })
    .from(pages).where(isNull(pages.deletedAt)).all();
  for (const r of rows) {
    const counts = bySpace.get(r.spaceId) ?? bySpace.set(r.spaceId, new Map()).get(r.spaceId)!;
    const text = [r.title, ...r.headings.map((h) => h.text), ...r.tags].join(' ');
    for (const w of words(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  vocabulary = { builtAt: Date.now(), bySpace };
  return bySpace;
}

/** Edit distance with adjacent transpositions (optimal string alignment), giving up beyond `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur.push(d);
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > max) return max + 1;
    prev2.splice(0, prev2.length, ...prev);
    prev = cur;
  }
  return prev[b.length]!;
}

/** A suggested query for these spaces' vocabulary, or null when every word is known or nothing is close. */
export function suggestQuery(q: string, spaceIds: number[]): string | null {
  const all = vocabularyBySpace();
  const count = (w: string) => spaceIds.reduce((n, id) => n + (all.get(id)?.get(w) ?? 0), 0);
  const tokens = q.toLowerCase().split(/\s+/).filter(Boolean);
  if (tokens.length === 0 || tokens.length > 8) return null;
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!WORD.test(t) || t.length < 3 || count(t) > 0) { out.push(t); continue; }
    // Two words typed as one ("gitcommit") or one typed as two ("name space").
    const next = tokens[i + 1];
    if (next && WORD.test(next) && count(t + next) > 0) { out.push(t + next); i++; changed = true; continue; }
    const split = [...Array(t.length - 3).keys()].map((k) => [t.slice(0, k + 2), t.slice(k + 2)] as const)
      .find(([a, b]) => count(a) > 0 && count(b) > 0);
    if (split) { out.push(`${split[0]} ${split[1]}`); changed = true; continue; }
    const best = nearest(t, spaceIds, all);
    if (best) { out.push(best); changed = true; } else out.push(t);
  }
  return changed ? out.join(' ') : null;
}

/** The closest known word (edit distance 1, or 2 for words of 6+ letters), the most frequent on ties. */
function nearest(t: string, spaceIds: number[], all: Map<number, Map<string, number>>): string | null {
  const max = t.length >= 6 ? 2 : 1;
  const found = new Map<string, { d: number; n: number }>();
  for (const id of spaceIds) {
    for (const [w, n] of all.get(id) ?? []) {
      if (Math.abs(w.length - t.length) > max || w[0] !== t[0] && w[1] !== t[1] && max === 1) continue;
      const had = found.get(w);
      if (had) { had.n += n; continue; }
      const d = editDistance(t, w, max);
      if (d <= max) found.set(w, { d, n });
    }
  }
  let best: [string, { d: number; n: number }] | undefined;
  for (const e of found) if (!best || e[1].d < best[1].d || (e[1].d === best[1].d && e[1].n > best[1].n)) best = e;
  return best?.[0] ?? null;
}
