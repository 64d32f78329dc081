// Chinese queries that describe a task in everyday words ("关掉终端后让程序继续在后台运行") seldom
// share all their words with the page that answers them, and Meilisearch's `last` strategy drops
// words from the end, so the answer's words may be the ones dropped. Such a query is also asked a
// second way: segmented as Meilisearch segments (jieba), without stop words and without words the
// index has never seen, matched rarest-first (the `frequency` strategy). The two rankings are
// fused by reciprocal rank. Measured on the development set: zh-task 5 → 7, zh-mixed 17 → 18,
// all other kinds equal (tmp runs of npm run bench:search-quality; see the README).
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { STOP_WORDS } from './stop-words.ts';

const STOP = new Set(STOP_WORDS);
const MIN_WORDS = 3;
const MAX_WORDS = 12;
let jieba: Jieba | undefined;

/** The query's words that can decide a match: segmented, lower-cased, no stop words or punctuation. */
export function contentWords(q: string): string[] {
  jieba ??= Jieba.withDict(dict);
  const words = jieba.cut(q, false).map((w) => w.trim().toLowerCase()).filter((w) => w && !/^[\p{P}\p{S}]+$/u.test(w) && !STOP.has(w));
  return [...new Set(words)].slice(0, MAX_WORDS);
}

/** Whether a query is a Chinese task description worth asking the second way: its content words, else null. */
export function taskWords(q: string): string[] | null {
  if (!/\p{Script=Han}/u.test(q)) return null;
  const words = contentWords(q);
  return words.length >= MIN_WORDS ? words : null;
}

const K = 10;

/** Reciprocal-rank fusion of rankings of the same documents (by `id`): a document high in both wins. */
export function fuseRankings<T extends { docKey: string; _rankingScore?: number }>(rankings: T[][]): T[] {
  const fused = new Map<string, { hit: T; score: number }>();
  for (const ranking of rankings) {
    ranking.forEach((hit, rank) => {
      const seen = fused.get(hit.docKey);
      if (seen) seen.score += 1 / (K + rank + 1);
      else fused.set(hit.docKey, { hit, score: 1 / (K + rank + 1) });
    });
  }
  // The fused score, scaled so that first in every ranking is 1, stands in for Meilisearch's
  // ranking score in the re-ranking that follows (query.ts).
  const best = rankings.length / (K + 1);
  return [...fused.values()].sort((a, b) => b.score - a.score).map(({ hit, score }) => ({ ...hit, _rankingScore: score / best }));
}
