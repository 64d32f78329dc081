// The site's search synonyms: groups of words or phrases that find each other in both directions
// (报销 = reimbursement = expenses). Stored in SQLite, sent to Meilisearch's `synonyms` setting,
// and used at query time to mark and name the synonym a hit was found through.
import { searchSynonyms } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { readCache } from '../db-cache.ts';
import { db, write } from '../db.ts';
import { badInput } from '../errors.ts';
import { searchIndex } from './client.ts';

export const MAX_GROUPS = 2000;
export const MAX_GROUP_WORDS = 20;
export const MAX_WORD_CHARS = 60;
export const MAX_WORDS = 5000;

/** One word as stored and as Meilisearch compares it: NFKC, lower case, inner spaces collapsed. */
const normalWord = (w: string) => w.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** Valid groups, normalized and deduplicated, or a 400 naming the problem; nothing is stored on error. */
export function validGroups(input: unknown): string[][] {
  if (!Array.isArray(input)) throw badInput('groups is a list of lists of words');
  if (input.length > MAX_GROUPS) throw badInput(`At most ${MAX_GROUPS} synonym groups`);
  const groups: string[][] = [];
  let total = 0;
  for (const [i, group] of input.entries()) {
    if (!Array.isArray(group) || group.some((w) => typeof w !== 'string')) throw badInput(`Group ${i + 1} is not a list of words`);
    const words = [...new Set((group as string[]).map(normalWord).filter(Boolean))];
    if (words.length === 0) continue;
    if (words.length < 2) throw badInput(`Group ${i + 1} needs at least two different words`);
    if (words.length > MAX_GROUP_WORDS) throw badInput(`Group ${i + 1} has more than ${MAX_GROUP_WORDS} words`);
    const bad = words.find((w) => [...w].length > MAX_WORD_CHARS || /[\p{Cc}\p{Cf}"]/u.test(w) || !/[\p{L}\p{N}]/u.test(w));
    if (bad !== undefined) throw badInput(`Group ${i + 1}: "${bad.slice(0, MAX_WORD_CHARS)}" is not a usable word (letters or digits, at most ${MAX_WORD_CHARS} characters, no quotes or control characters)`);
    total += words.length;
    if (total > MAX_WORDS) throw badInput(`At most ${MAX_WORDS} words in all synonym groups`);
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

/** The stored synonyms as Meilisearch's `synonyms` setting. */
export const meiliSynonyms = (): Record<string, string[]> => synonymMap(storedGroups());

/** Sends the stored synonyms to Meilisearch; a failure is logged, and ensureIndex sends them again at the next start. */
export async function applySynonyms(log: (m: string) => void = console.error): Promise<void> {
  try {
    await searchIndex()?.updateSynonyms(meiliSynonyms()).waitTask({ timeout: 10_000 });
  } catch (err) {
    log(`search synonyms not applied yet: ${err instanceof Error ? err.message : err}`);
  }
}

/** Replaces the site's synonym list (site admins), durably, then applies it to the index. */
export async function setSynonyms(viewer: Viewer | null, input: unknown): Promise<string[][]> {
  assertSiteAdmin(viewer);
  const groups = validGroups(input);
  write((tx) => {
    const before = tx.select({ words: searchSynonyms.words }).from(searchSynonyms).all().length;
    tx.delete(searchSynonyms).run();
    if (groups.length) tx.insert(searchSynonyms).values(groups.map((words) => ({ words }))).run();
    appendAudit(tx, viewer!, 'search.synonyms', 'site', { groups: before }, { groups: groups.length });
  });
  await applySynonyms();
  return groups;
}
