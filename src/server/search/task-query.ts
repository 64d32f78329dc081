// Task descriptions in everyday words ("关掉终端后让程序继续在后台运行", "upload pictures for many
// itmes at once") seldom share all their words with the page that answers them (nohup's page has
// 终端, 继续, 后台 and 运行, not 关掉 or 程序). Meilisearch's matching strategies always keep one word
// (`last`: the first; `frequency`: the rarest, a typo included), so a page without that word is
// never found. Such a query is also ranked by coverage: segmented as Meilisearch segments (jieba;
// English words split on spaces), without stop words, each word searched on its own (one
// multi-search), and each page scored by the rarity of the words it holds, BM25-style, weighted by
// where they stand. The two rankings are fused by weighted reciprocal rank (query.ts).
// Measured on the development set (npm run bench:search-quality; see the README):
// 100 → 113/120, MRR@5 0.74 → 0.83 (zh-task 7 → 15, typo-en 17 → 20, body-only 19 → 20, zh-mixed 18 → 19).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';
import { isStopWord } from './stop-words.ts';

const MIN_WORDS = 3;
const MAX_WORDS = 12;
// Both the built server bundle and the start script load this module (the search API is served
// outside Astro): one segmenter for both, on the process.
const jiebaKey = Symbol.for('dossier.search.jieba');
const shared = globalThis as { [jiebaKey]?: Jieba };

/**
 * The segmenter, built on first use: ~300 ms of loading its dictionary. `npm start` builds it before
 * it serves, so that no reader's first task description pays for it (336 ms measured).
 */
export function segmenter(): Jieba {
  // Its dictionary file read here, not through the package's dict.js, which reads the unused IDF
  // table as well and keeps both (11 MB) for good.
  return (shared[jiebaKey] ??= Jieba.withDict(fs.readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt'))));
}

// A pattern that finds a word list's words, longest first, per list (a list is replaced, not changed).
const patterns = new WeakMap<readonly string[], RegExp>();

/**
 * Text cut into words as Meilisearch cuts it: the words of its `dictionary` (`keepWhole`: the
 * synonyms' Chinese words, synonyms.ts) kept whole wherever they stand, jieba between them.
 */
export function segment(text: string, keepWhole: readonly string[] = []): string[] {
  if (keepWhole.length === 0) return segmenter().cut(text, false);
  let pattern = patterns.get(keepWhole);
  if (!pattern) patterns.set(keepWhole, (pattern = new RegExp(`(${[...keepWhole].sort((a, b) => b.length - a.length).map(RegExp.escape).join('|')})`, 'u')));
  return text.split(pattern).flatMap((part, i) => (i % 2 === 1 ? [part] : part ? segmenter().cut(part, false) : []));
}

/** The query's words that can decide a match: segmented, lower-cased, no stop words or punctuation. */
export function contentWords(q: string, keepWhole: readonly string[] = []): string[] {
  const words = segment(q, keepWhole).map((w) => w.trim().toLowerCase()).filter((w) => w && !/^[\p{P}\p{S}]+$/u.test(w) && !isStopWord(w));
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** Whether a query is a task description worth ranking by coverage too: its content words, else null. */
export function taskWords(q: string, keepWhole: readonly string[] = []): string[] | null {
  // Fewer Chinese characters and other words than MIN_WORDS cannot segment into as many: most
  // queries ("git commit", 索引) are answered without segmenting (2 % of a search's CPU, profiled).
  if ((q.match(/\p{Script=Han}|[^\s\p{P}\p{S}\p{Script=Han}]+/gu)?.length ?? 0) < MIN_WORDS) return null;
  const words = contentWords(q, keepWhole);
  return words.length >= MIN_WORDS ? words : null;
}

const K = 10;

/** Weighted reciprocal-rank fusion of rankings of the same documents (by `docKey`): a document high in both wins. */
export function fuseRankings<T extends { docKey: string; _rankingScore?: number }>(rankings: T[][], weights: number[] = rankings.map(() => 1)): T[] {
  const fused = new Map<string, { hit: T; score: number }>();
  rankings.forEach((ranking, i) => {
    ranking.forEach((hit, rank) => {
      const seen = fused.get(hit.docKey);
      if (seen) seen.score += weights[i]! / (K + rank + 1);
      else fused.set(hit.docKey, { hit, score: weights[i]! / (K + rank + 1) });
    });
  });
  // The fused score, scaled so that first in every ranking is 1, stands in for Meilisearch's
  // ranking score in the re-ranking that follows (query.ts).
  const best = weights.reduce((a, b) => a + b, 0) / (K + 1);
  return [...fused.values()].sort((a, b) => b.score - a.score).map(({ hit, score }) => ({ ...hit, _rankingScore: score / best }));
}

/** One word's own search: which documents hold it, best-placed first (title, summary, headings, body). */
export interface WordHits { hits: { docKey: string; section: number; _rankingScore?: number }[]; estimatedTotalHits?: number }

export interface Covered { docKey: string; section: number; score: number }

/**
 * Documents by how much of the query they cover: the sum over the query's words that a document
 * holds of the word's rarity (inverse document frequency, as in BM25) times where it stands
 * (Meilisearch's ranking score of the word alone: a title match above a body match). Unlike
 * Meilisearch's matching strategies, no word is required: a page that answers with four of six
 * words, but not the first or the rarest, still ranks by those four.
 */
export function coverageRanking(lists: WordHits[], indexSize: number): Covered[] {
  const docs = new Map<string, { score: number; best: number; section: number }>();
  for (const list of lists) {
    const df = Math.max(list.estimatedTotalHits ?? list.hits.length, 1);
    const idf = Math.log(1 + (indexSize - df + 0.5) / (df + 0.5));
    for (const h of list.hits) {
      const gain = idf * (h._rankingScore ?? 1);
      const doc = docs.get(h.docKey);
      if (!doc) docs.set(h.docKey, { score: gain, best: gain, section: h.section });
      else {
        doc.score += gain;
        if (gain > doc.best) { doc.best = gain; doc.section = h.section; }
      }
    }
  }
  return [...docs].map(([docKey, d]) => ({ docKey, section: d.section, score: d.score })).sort((a, b) => b.score - a.score);
}
