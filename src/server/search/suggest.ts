// "Did you mean": a corrected query built from the index's own vocabulary, the words of page
// titles, headings and tags, and of the site's synonym list (the words people search with: a
// Chinese page found by "vacation" has no such word of its own). Each word remembers the spaces it
// comes from, so a suggestion only ever uses words of spaces the reader may read (the synonym
// list is the site's, for every reader). Latin-script words are corrected by spelling
// (letters off, words joined or split); Chinese words by sound: Chinese is typed through an input
// method that offers every character read alike, so its typo is a real word with the wrong
// characters (帐号 for 账号, 配制 for 配置, 部暑 for 部署), and it is replaced by the most used word
// of the vocabulary that reads the same (pinyin without tones).
import { pinyin } from 'pinyin-pro';
import { db } from '../db.ts';
import { editDistance } from '../edit-distance.ts';
import { currentSynonyms, synonymListVersion } from './synonyms.ts';
import { segmenter } from './task-query.ts';

const REBUILD_AFTER_MS = 5 * 60_000;
const WORD = /^[a-z0-9][a-z0-9-]*$/;
const CHINESE_WORD = /^\p{Script=Han}{2,4}$/u;
/** Where the synonym list's words are counted: a "space" every reader reads. */
const SYNONYMS = 0;

interface Vocabulary {
  builtAt: number;
  synonymList: number;
  spaces: Map<string, Map<number, number>>;
  /** Latin-script words by length, each with its letter mask. */
  byLength: Spelled[][];
  /** Chinese words by their sound. */
  bySound: Map<string, string[]>;
}
let vocabulary: Vocabulary | undefined;

const sound = (word: string) => pinyin(word, { toneType: 'none', type: 'array' }).join(' ');

const SLICE_ROWS = 500;
const TURN_MS = 5;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Word → (space → count), the Latin words by length and the Chinese ones by sound, from the live
 * pages. Segmenting every title and heading takes a few hundred milliseconds on a large site, so
 * the work gives the event loop a turn every few milliseconds: other requests go on meanwhile.
 */
async function buildVocabulary(): Promise<Vocabulary> {
  const spaces = new Map<string, Map<number, number>>();
  const byLength: Spelled[][] = [];
  const bySound = new Map<string, string[]>();
  const add = (w: string, spaceId: number) => {
    let bySpace = spaces.get(w);
    if (!bySpace) {
      spaces.set(w, (bySpace = new Map()));
      if (WORD.test(w)) (byLength[w.length] ??= []).push({ word: w, mask: letterMask(w) });
      else {
        const key = sound(w);
        (bySound.get(key) ?? bySound.set(key, []).get(key)!).push(w);
      }
    }
    bySpace.set(spaceId, (bySpace.get(spaceId) ?? 0) + 1);
  };
  const addWords = (text: string, spaceId: number) => {
    for (const w of text.split(/[^\p{L}\p{N}-]+/u)) if (w.length >= 2 && WORD.test(w)) add(w, spaceId);
    for (const run of text.match(/\p{Script=Han}{2,}/gu) ?? []) for (const w of segmenter().cut(run, false)) if (CHINESE_WORD.test(w)) add(w, spaceId);
  };
  const synonymList = synonymListVersion();
  addWords([...currentSynonyms().keys()].join(' ').toLowerCase(), SYNONYMS);
  const slice = db().$client.prepare<[number, number], { id: number; spaceId: number; words: string }>(
    `select id, space_id as spaceId, title || ' ' || headings || ' ' || tags as words from pages where deleted_at is null and id > ? order by id limit ?`,
  );
  for (let after = 0; ; ) {
    const rows = slice.all(after, SLICE_ROWS);
    if (rows.length === 0) break;
    let turnStarted = performance.now();
    for (const { spaceId, words } of rows) {
      if (performance.now() - turnStarted > TURN_MS) { await nextTurn(); turnStarted = performance.now(); }
      // Headings and tags are JSON: their keys ("depth", "id", "text") are not words of the page.
      addWords(words.toLowerCase().replace(/"(depth|id|text)":/g, ' '), spaceId);
    }
    after = rows.at(-1)!.id;
  }
  return { builtAt: Date.now(), synonymList, spaces, byLength, bySound };
}

let rebuilding: Promise<Vocabulary> | null = null;
function rebuild(): Promise<Vocabulary> {
  return (rebuilding ??= buildVocabulary().then((v) => (vocabulary = v)).finally(() => { rebuilding = null; }));
}

/**
 * The vocabulary. Only searches that find little ask for it; when it is a few minutes old it is
 * rebuilt behind them, the old one answering meanwhile. A new synonym list is waited for: an admin
 * who just added "vacation" tries it at once.
 */
async function currentVocabulary(): Promise<Vocabulary> {
  if (!vocabulary || vocabulary.synonymList !== synonymListVersion()) return rebuild();
  if (Date.now() - vocabulary.builtAt > REBUILD_AFTER_MS) void rebuild().catch(() => {});
  return vocabulary;
}

/** A suggested query from these spaces' vocabulary, or null when every word is known or nothing is close. */
export async function suggestQuery(q: string, spaceIds: number[]): Promise<string | null> {
  const vocab = await currentVocabulary();
  const readable = new Set([SYNONYMS, ...spaceIds]);
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
    if (/\p{Script=Han}/u.test(t)) {
      const fix = soundAlike(t, vocab, count);
      out.push(fix ?? t);
      changed ||= fix !== null;
      continue;
    }
    if (!WORD.test(t) || t.length < 3 || count(t) > 0) { out.push(t); continue; }
    const fix = nearest(t, 1, vocab, count)
      ?? splitWord(t, count)
      ?? (t.length >= 6 ? nearest(t, 2, vocab, count) : null);
    out.push(fix ?? t);
    changed ||= fix !== null;
  }
  return changed ? out.join(' ') : null;
}

/**
 * The text with each Chinese word that no readable title, heading or tag uses replaced by the most
 * used readable word that reads the same; null when there is none. A wrong character may also cut
 * a word into single characters (部暑 → 部 暑), so two single characters in a row are tried as one word.
 */
function soundAlike(text: string, vocab: Vocabulary, count: (w: string) => number): string | null {
  const parts = segmenter().cut(text, false);
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const pair = [...part].length === 1 && [...(parts[i + 1] ?? '')].length === 1 ? part + parts[i + 1] : null;
    const word = CHINESE_WORD.test(part) ? part : pair && CHINESE_WORD.test(pair) ? pair : null;
    let fix: string | null = null;
    if (word && count(word) === 0) {
      let best = 0;
      for (const w of vocab.bySound.get(sound(word)) ?? []) if (count(w) > best) { fix = w; best = count(w); }
    }
    if (fix === null) { out.push(part); continue; }
    out.push(fix);
    changed = true;
    if (word === pair) i++;
  }
  return changed ? out.join('') : null;
}

function splitWord(t: string, count: (w: string) => number): string | null {
  for (let k = 3; k <= t.length - 3; k++) if (count(t.slice(0, k)) > 0 && count(t.slice(k)) > 0) return `${t.slice(0, k)} ${t.slice(k)}`;
  return null;
}

interface Spelled { word: string; mask: number }

/**
 * The characters a word holds, one bit each (a–z; digits and "-" share the last six bits). One edit
 * changes at most two of these bits (a substitution takes one character away and brings another),
 * so words whose masks differ in more than 2·d bits are more than d edits apart: most words are
 * ruled out by one XOR, before the edit distance (a "wiregaurd" took 22 ms against the corpus's
 * vocabulary without it, holding every other request on the event loop meanwhile).
 */
function letterMask(w: string): number {
  let mask = 0;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    mask |= 1 << (c >= 97 ? c - 97 : c === 45 ? 31 : 26 + ((c - 48) % 5));
  }
  return mask;
}

function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** The most frequent readable word exactly `d` edits away. */
function nearest(t: string, d: number, vocab: Vocabulary, count: (w: string) => number): string | null {
  const mask = letterMask(t);
  let best: string | null = null;
  let bestCount = 0;
  for (let len = t.length - d; len <= t.length + d; len++) {
    for (const { word: w, mask: m } of vocab.byLength[len] ?? []) {
      if (bitCount(mask ^ m) > 2 * d || editDistance(t, w, d) !== d) continue;
      const n = count(w);
      if (n > bestCount) { best = w; bestCount = n; }
    }
  }
  return best;
}
