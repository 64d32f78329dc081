// The site's search synonyms: groups of words or phrases that find each other in both directions
// (报销 = reimbursement = expenses). Stored in SQLite, sent to Meilisearch's `synonyms` setting,
// and used at query time to mark and name the synonym a hit was found through.
// Their Chinese words are also Meilisearch's `dictionary`: words its segmenter must keep whole.
// Segmented apart (入职 → 入 职, 远程办公 → 远程 办公), a Chinese word reached its synonyms only
// as a joined pair, which Meilisearch ranks as a typo: the English "Onboarding checklist" came
// sixth for 入职, below pages with 入职 once deep in their bodies. Kept whole, it comes first.
import { searchSynonyms } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { readCache } from '../db-cache.ts';
import { db, write } from '../db.ts';
import { badInput } from '../errors.ts';
import { applySettings, meili } from './client.ts';

export const MAX_GROUPS = 2000;
export const MAX_GROUP_WORDS = 20;
export const MAX_WORD_CHARS = 60;
export const MAX_WORDS = 5000;

/** One word as stored and as Meilisearch compares it: NFKC, lower case, inner spaces collapsed. */
const normalWord = (w: string) => w.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Valid groups, normalized and deduplicated, or a 400 naming the problem; nothing is stored on error. */
export function validGroups(input: unknown): string[][] {
  if (!Array.isArray(input)) throw badInput('groups is a list of lists of words');
  if (input.length > MAX_GROUPS) throw badInput(`At most ${MAX_GROUPS} synonym groups`, { code: 'tooManySynonymGroups', max: MAX_GROUPS });
  const groups: string[][] = [];
  let total = 0;
  for (const [i, group] of input.entries()) {
    if (!Array.isArray(group) || group.some((w) => typeof w !== 'string')) throw badInput(`Group ${i + 1} is not a list of words`);
    const words = [...new Set((group as string[]).map(normalWord).filter(Boolean))];
    if (words.length === 0) continue;
    if (words.length < 2) throw badInput(`Group ${i + 1} needs at least two different words`, { code: 'synonymTwoWords', group: i + 1 });
    if (words.length > MAX_GROUP_WORDS) throw badInput(`Group ${i + 1} has more than ${MAX_GROUP_WORDS} words`, { code: 'synonymGroupTooBig', group: i + 1, max: MAX_GROUP_WORDS });
    // A lone surrogate is no character at all, and Meilisearch refuses the whole list for one.
    const bad = words.find((w) => [...w].length > MAX_WORD_CHARS || !w.isWellFormed() || /[\p{Cc}\p{Cf}"]/u.test(w) || !/[\p{L}\p{N}]/u.test(w));
    if (bad !== undefined) throw badInput(`Group ${i + 1}: "${bad.slice(0, MAX_WORD_CHARS)}" is not a usable word (letters or digits, at most ${MAX_WORD_CHARS} characters, no quotes or control characters)`, { code: 'synonymBadWord', group: i + 1, word: bad.slice(0, MAX_WORD_CHARS), max: MAX_WORD_CHARS });
    total += words.length;
    if (total > MAX_WORDS) throw badInput(`At most ${MAX_WORDS} words in all synonym groups`, { code: 'tooManySynonymWords', max: MAX_WORDS });
    groups.push(words);
  }
  return groups;
}

/** The first groups that a site's list holds together (MAX_GROUPS groups, MAX_WORDS words). */
export function leadingGroupsThatFit(groups: string[][]): string[][] {
  const kept: string[][] = [];
  let words = 0;
  for (const g of groups) {
    if (kept.length === MAX_GROUPS || words + g.length > MAX_WORDS) break;
    kept.push(g);
    words += g.length;
  }
  return kept;
}

/** Groups as an admin writes them (on /admin/synonyms, in the demo's content/_synonyms.txt): one per line, words separated by commas. */
export const synonymLines = (text: string): string[][] => text.split('\n').map((line) => line.split(/[,，]/));

function storedGroups(): string[][] {
  return db().select({ words: searchSynonyms.words }).from(searchSynonyms).orderBy(searchSynonyms.id).all().map((r) => r.words);
}

export function getSynonyms(viewer: Viewer | null): string[][] {
  assertSiteAdmin(viewer);
  return storedGroups();
}

/** Each word → every other word of every group it is in: both directions, and a word in two groups joins them one step, not transitively. */
export function synonymMap(groups: string[][]): Record<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const g of groups) for (const w of g) for (const other of g) if (other !== w) (map.get(w) ?? map.set(w, new Set()).get(w)!).add(other);
  return Object.fromEntries([...map].map(([w, s]) => [w, [...s]]));
}

// Remembered until the database changes (db-cache.ts): search reads it on every query.
const cachedMap = readCache<0, ReadonlyMap<string, readonly string[]>>();
export function currentSynonyms(): ReadonlyMap<string, readonly string[]> {
  return cachedMap.get(0, () => new Map(Object.entries(synonymMap(storedGroups()))));
}

/**
 * At most this many words are kept whole. Meilisearch pays for its dictionary on every query, about
 * 1–2 ms with any words and more with many (30 queries one at a time: 115–130 ms in all without,
 * 143–225 ms with 6 words, 480–500 ms with 4,000).
 */
export const MAX_SEGMENTATION_WORDS = 500;

/**
 * The groups' Chinese words, for Meilisearch to keep whole (its `dictionary`), the first
 * MAX_SEGMENTATION_WORDS in the list's order (CC-CEDICT's most used groups come first). All of
 * them, not only those our segmenter cuts apart: Meilisearch's segmenter cuts differently (打印机
 * is one word for @node-rs/jieba, 打印 + 机 for Meilisearch), and a synonym reached through a cut
 * word ranks as a typo. Measured on the demo: 打印机 → Printers 6th → 1st, 会议室 → Meeting rooms
 * 5th → 1st, no other everyday question lower.
 */
export function segmentationWords(groups: readonly (readonly string[])[]): string[] {
  const words = new Set(groups.flat().filter((w) => /\p{Script=Han}/u.test(w) && !/\s/.test(w) && [...w].length >= 2));
  return [...words].slice(0, MAX_SEGMENTATION_WORDS);
}

const cachedWords = readCache<0, readonly string[]>();
/** The stored synonyms' Chinese words (segmentationWords), remembered until the database changes. */
export const currentSegmentationWords = (): readonly string[] => cachedWords.get(0, () => segmentationWords(storedGroups()));

/** The stored synonyms as Meilisearch settings: `synonyms`, and their Chinese words as its `dictionary`. */
export function meiliSynonymSettings(): { synonyms: Record<string, string[]>; dictionary: string[] } {
  const groups = storedGroups();
  return { synonyms: synonymMap(groups), dictionary: segmentationWords(groups) };
}

/** Sends the stored synonyms to Meilisearch, waiting up to 10 s; a failure is logged, and ensureIndex sends them again at the next start. */
export async function applySynonyms(log: (m: string) => void = console.error): Promise<void> {
  if (!meili()) return;
  try {
    await applySettings(meiliSynonymSettings(), { waitMs: 10_000, log });
  } catch (err) {
    log(`search synonyms not applied yet: ${err instanceof Error ? err.message : err}`);
  }
}

/** Replaces the site's synonym list (site admins), durably, then applies it to the index. */
// Counts this process's changes of the list, for what is built from it ("did you mean": suggest.ts).
let listChanges = 0;
export const synonymListVersion = (): number => listChanges;

export async function setSynonyms(viewer: Viewer | null, input: unknown): Promise<string[][]> {
  assertSiteAdmin(viewer);
  const groups = validGroups(input);
  write((tx) => {
    const before = tx.select({ words: searchSynonyms.words }).from(searchSynonyms).all().length;
    tx.delete(searchSynonyms).run();
    if (groups.length) tx.insert(searchSynonyms).values(groups.map((words) => ({ words }))).run();
    appendAudit(tx, viewer!, 'search.synonyms', 'site', { groups: before }, { groups: groups.length });
  });
  listChanges++;
  await applySynonyms();
  return groups;
}
