// Where an imported folder's Markdown files land as pages, and the links between them. A page's
// path is its file's path without ".md"; "index.md" is its folder's page. Notion names each file
// and folder after its page followed by the page's id ("Get Started 723c…a3.md" beside a folder
// "Get Started 723c…a3/" of its sub-pages): the id is left out of the path unless two pages would
// then share one. A relative link from a page to another page's file ("[Sub page](Get%20Started%20
// 723c…/Sub%20page%204e3c….md)", as Notion, Obsidian and docs folders write them) becomes a wiki
// link to that page, resolved for each reader as every wiki link is; so does a link by the page's
// address from the folder's root ("[Upgrade](/install/upgrade)", as Wiki.js writes them), and one
// without ".md" (as static-site docs write them).
import path from 'node:path';
import { MARKDOWN_FILE_LINK, NOT_A_FILE } from '../attachments/import.ts';
import { DomainError } from '../errors.ts';
import { codeRanges, inCode } from '../markdown/code-ranges.ts';
import { pageHref } from '../markdown/href.ts';
import { MAX_WIKI_LINKS } from '../markdown/link-caps.ts';
import { scanWikiLinks } from '../markdown/wiki-links.ts';
import { normalizePagePath } from '../pages/page-path.ts';

export function pagePathFor(rel: string): string {
  const noExt = rel.split(path.sep).join('/').replace(/\.md$/i, '');
  const p = noExt === 'index' ? '' : noExt.endsWith('/index') ? noExt.slice(0, -'/index'.length) : noExt;
  // "..md" (tldr's page for the "." command) would be a dot segment, which URLs cannot carry.
  const segments = p.split('/').map((seg) => (seg === '.' || seg === '..' ? seg.replaceAll('.', '%2E') : seg));
  return normalizePagePath(segments.join('/').normalize('NFC'));
}

// A name's trailing Notion page id: a space and 32 hexadecimal digits, before ".md" if any.
const NOTION_ID = / [0-9a-f]{32}(?=(?:\.md)?$)/i;
export const withoutId = (segment: string) => segment.replace(NOTION_ID, '');

/** A path, or null for one no page may have (pagePathFor says why when the file is imported). */
function tryPath(rel: string): string | null {
  try {
    return pagePathFor(rel);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

/**
 * The page path of each Markdown file (`rels`: paths inside the space's folder), Notion's ids left
 * out. Pages that would then meet (a Notion database's rows all called "Untitled") keep the ids
 * of their own names, under their folders' paths without ids, so they stay beside each other.
 */
export function pagePathsOf(rels: string[]): Map<string, string> {
  const parts = rels.map((rel) => ({ rel, dirs: path.dirname(rel).split(path.sep).map(withoutId), name: path.basename(rel) }));
  const bare = new Map(parts.map((p) => [p.rel, tryPath(path.join(...p.dirs, withoutId(p.name)))]));
  const count = new Map<string, number>();
  for (const p of bare.values()) if (p !== null) count.set(p, (count.get(p) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const { rel, dirs, name } of parts) {
    const short = bare.get(rel)!;
    const p = short !== null && count.get(short) === 1 ? short : tryPath(path.join(...dirs, name));
    if (p !== null) out.set(rel, p);
  }
  return out;
}

// Wiki.js writes an image's size after its address ("![Bold](/assets/bold.png =x30)"), which
// CommonMark reads as no image at all: the size is dropped, and the image shown at its own.
const WIKIJS_IMAGE_SIZE = /(!\[[^\]\n]*\]\([^()\s]+) =(?=[^)\s]*\d)\d*%?x?\d*%?\)/g;
export const withoutImageSizes = (markdown: string) => markdown.replace(WIKIJS_IMAGE_SIZE, '$1)');

function imageName(target: string): string {
  const last = target.slice(target.lastIndexOf('/') + 1);
  let name: string;
  try { name = decodeURIComponent(last); } catch { name = last; }
  return name.replace(/[[\]\\]/g, '\\$&');
}

/** The page of a file path, written with ".md" or without, or as its folder ("./rules-essential", "/travel-101/": as static-site docs write links). */
function pageOfFile(rel: string, paths: ReadonlyMap<string, string>): string | undefined {
  const file = rel.replace(/[\\/]+$/, '');
  return paths.get(file) ?? paths.get(`${file}.md`) ?? paths.get(path.join(file, 'index.md'));
}

/**
 * A path from a root: the space folder's (Wiki.js: "/install/upgrade"), else a folder's above the
 * linking page, outermost first (a docs site per language, "en/" and "zh/", links from its own root);
 * else an address the site gave a page (`addresses`: its permalink or an old address).
 */
function fromRoot(rel: string, fromRel: string, paths: ReadonlyMap<string, string>, addresses: ReadonlyMap<string, string>): string | undefined {
  const folders = path.dirname(fromRel).split(path.sep).filter((f) => f !== '.');
  for (let depth = 0; depth <= folders.length; depth++) {
    const page = pageOfFile(path.join(...folders.slice(0, depth), rel), paths);
    if (page !== undefined) return page;
  }
  return addresses.get(rel.split(path.sep).filter(Boolean).join('/'));
}

// What a wiki link's target and label cannot hold ([[path#anchor|label]]).
const NOT_IN_WIKI_LINK = /[[\]|\n]/;

/**
 * `markdown` (of the file `fromRel`) with each relative link to another imported page's file
 * written as a wiki link to that page; a link whose target or text a wiki link cannot hold points
 * at the page's address instead. Absolute links and links to anything else stay as written, and
 * images too, but for a text that only repeats the image's path.
 */
export function linkPages(markdown: string, fromRel: string, paths: ReadonlyMap<string, string>, spaceKey: string, addresses: ReadonlyMap<string, string> = new Map()): string {
  // Within the cap on a page's distinct wiki links (a docs folder's table of contents links to
  // over a thousand pages): the pages past it are linked by their address.
  const linked = new Set(scanWikiLinks(markdown, MAX_WIKI_LINKS + 1).map((w) => `${w.space}:${w.title}`));
  const code = codeRanges(markdown);
  return markdown.replace(MARKDOWN_FILE_LINK, (all, open: string, target: string, close: string, at: number) => {
    if (inCode(code, at)) return all;
    // Notion gives each image its own path as its text ("![Get%20Started…/plus-menu.gif](…)"),
    // which a screen reader would spell out: its file name says it better.
    if (open.startsWith('!')) return open === `![${target}](` ? `![${imageName(target)}](${target}${close}` : all;
    if (NOT_A_FILE.test(target)) return all;
    const hash = target.indexOf('#');
    let rel: string;
    try {
      rel = (hash < 0 ? target : target.slice(0, hash)).split('/').map(decodeURIComponent).join(path.sep);
    } catch {
      return all; // not percent-encoding: not a link Notion or an editor wrote
    }
    const page = target.startsWith('/') ? fromRoot(rel.replace(/^\/+/, ''), fromRel, paths, addresses) : pageOfFile(path.join(path.dirname(fromRel), rel), paths);
    if (page === undefined) return all;
    const anchor = hash < 0 ? '' : target.slice(hash + 1);
    const label = open.slice(1, -2).trim().replace(/\s+/g, ' '); // a text wrapped over lines, on one
    // The space's home has no path a wiki link could name.
    if (close === ')' && page !== '' && !NOT_IN_WIKI_LINK.test(page + anchor + label) && !page.includes('#')
      && (linked.has(`null:${page}`) || (linked.size < MAX_WIKI_LINKS && !!linked.add(`null:${page}`)))) {
      // In a table row the label's bar is escaped, or it would end the cell.
      const bar = /^ {0,3}\|/.test(markdown.slice(markdown.lastIndexOf('\n', at) + 1, at + 1)) ? '\\|' : '|';
      return `[[${page}${anchor ? `#${anchor}` : ''}${label ? `${bar}${label}` : ''}]]`;
    }
    return `${open}${pageHref(spaceKey, page)}${anchor ? `#${anchor}` : ''}${close}`;
  });
}
