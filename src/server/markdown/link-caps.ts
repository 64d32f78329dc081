// Caps on how much a page or requirement description may link, checked on the source text before
// any rendering, so a hostile page costs one linear scan. Each link, key and URL becomes tree
// nodes, a lookup and a row when saved: a page of 100,000 requirement keys took 18 s and 4 GB.
// The caps sit far above real use: the 12.8k-page corpus and the demo content peak at 15 distinct
// wiki links as written, 17 requirement keys and 2,304 links of all kinds (a table of contents) in
// one file. An import makes links between its files wiki links, up to the cap (import-paths.ts).
import { DomainError } from '../errors.ts';
import { REQUIREMENT_KEY } from './requirement-keys.ts';
import { scanWikiLinks } from './wiki-links.ts';

export const MAX_WIKI_LINKS = 1_000;
export const MAX_REQUIREMENT_KEYS = 500;
export const MAX_LINKS = 10_000;


export interface LinkCounts { wikiLinks: number; requirementKeys: number; links: number }

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) n++;
  return n;
}

/**
 * Distinct wiki links, distinct requirement keys, and every link-ish thing: inline links and
 * images `](`, URLs (autolinks and GFM literals), wiki links and keys. Counting stops once over
 * a cap, so a hostile page costs no more than a page at the caps.
 */
export function countLinks(markdown: string): LinkCounts {
  const wiki = scanWikiLinks(markdown, MAX_LINKS + 1);
  let links = occurrences(markdown, '](') + occurrences(markdown, '://') + occurrences(markdown, 'www.') + wiki.length;
  const keys = new Set<string>();
  if (links <= MAX_LINKS) {
    // Shaped like a requirement key whether or not its project exists, as rendering marks them.
    for (const m of markdown.matchAll(REQUIREMENT_KEY)) {
      keys.add(m[0]);
      if (++links > MAX_LINKS || keys.size > MAX_REQUIREMENT_KEYS) break;
    }
  }
  return { wikiLinks: new Set(wiki.map((m) => `${m.space ?? ''}:${m.title}`)).size, requirementKeys: keys.size, links };
}

const n = (x: number) => x.toLocaleString('en');

/**
 * Throws 422 naming the cap when `markdown` is over one; `code` and `max` let a screen say it in
 * the reader's language (src/i18n/errors.ts).
 */
export function assertLinkCaps(markdown: string, what: 'page' | 'requirement description' | 'comment'): void {
  const c = countLinks(markdown);
  const subject = `A ${what}`;
  const over = (message: string, coded: { code: string; max: number }) => new DomainError(422, message, coded);
  if (c.wikiLinks > MAX_WIKI_LINKS) throw over(`${subject} may link to at most ${n(MAX_WIKI_LINKS)} pages`, { code: 'tooManyPageLinks', max: MAX_WIKI_LINKS });
  if (c.requirementKeys > MAX_REQUIREMENT_KEYS) {
    throw over(`${subject} may mention at most ${n(MAX_REQUIREMENT_KEYS)} requirement keys`, { code: 'tooManyKeys', max: MAX_REQUIREMENT_KEYS });
  }
  if (c.links > MAX_LINKS) throw over(`${subject} may hold at most ${n(MAX_LINKS)} links, URLs and requirement keys in all`, { code: 'tooManyLinks', max: MAX_LINKS });
}
