// Docs sites built with Jekyll or Eleventy (the 18F handbook, GOV.UK-style handbooks) write their
// Markdown with Liquid tags, which a wiki would show as they are: "[Travel 101]({% page
// "/travel-101/" %})", "{% slack_channel "people-ops" %}". An import turns the tags such sites use
// into the Markdown they stand for, before its links are resolved: a page tag becomes the address
// it names, which the import then links to the imported page (by its file, `permalink` or
// `redirect_from`: `siteAddresses`). Everything inside {% raw %}, and a single tag inside code, is
// an example and stays as written (Jekyll would convert the latter; a page showing it means it as
// written); so does a tag not named here. Of the output tags ({{ … }}) only the site's base path
// before an address is read ("[Software]({{ site.baseurl }}/software/)"): an import is the site's
// root, so it is dropped; any other is an example (a Vue template) or unknown, and stays.
import { codeRanges, inCode } from '../markdown/code-ranges.ts';

// {% name args %}, with Liquid's whitespace-trimming dashes; args up to the tag's end.
const TAG = /\{%-?\s*(\w+)((?:[^%]|%(?!\}))*?)-?%\}/g;
const RAW = /\{%-?\s*raw\s*-?%\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}/g;
// The base path's names in Jekyll and its themes; an undefined one renders empty in Liquid too.
const BASE_URL = /\{\{-?\s*(?:\w+\.)*base_?url\s*-?\}\}(?=\/)/gi;
const ARG = /"([^"]*)"|'([^']*)'|([^\s,"']+)/g;

const args = (text: string) => [...text.matchAll(ARG)].map((m) => m[1] ?? m[2] ?? m[3]!);

/** Where the last match of `end` ends in `text`, or 0. */
function afterLast(text: string, end: RegExp): number {
  let cut = 0;
  for (const m of text.matchAll(end)) cut = m.index + m[0].length;
  return cut;
}

/**
 * `text` with `pattern` replaced only up to the last match of `end` (its closing tag). A tag opened
 * after that cannot close, and is left as written without being tried: tried, each such opening
 * would be read to the end of the text (a file of 100,000 of them, once each).
 */
function replaceUpToLast(text: string, end: RegExp, pattern: RegExp, replacer: (match: string, ...groups: any[]) => string): string {
  const cut = afterLast(text, end);
  return cut === 0 ? text : text.slice(0, cut).replace(pattern, replacer) + text.slice(cut);
}

/** Lines quoted, their common indent removed (a tag's body is indented in the source). */
function quoted(body: string): string {
  const lines = body.replace(/^\s*\n|\n\s*$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => `> ${l.slice(Number.isFinite(indent) ? indent : 0)}`.trimEnd()).join('\n');
}

/** One tag as Markdown, or null to leave it as written. */
function inline(name: string, a: string[]): string | null {
  switch (name) {
    case 'page': return a[0] ?? '';
    case 'link': return a[0] === undefined ? '' : `/${a[0].replace(/^\/+/, '')}`;
    case 'slack_channel': return a[0] ? `#${a[0].replace(/^#/, '')}` : '';
    case 'image': return a[0] ? `![${a[1] ?? ''}](${a[0]})` : '';
    case 'image_with_class': return a[0] ? `![${a[2] ?? ''}](${a[0]})` : '';
    case 'download': return a[0] ? `[${a[1] ?? a[0].slice(a[0].lastIndexOf('/') + 1)}](${a[0]})` : '';
    // A template of the site's own, which the import does not have.
    case 'include': return '';
    default: return null;
  }
}

/** `markdown` with the Liquid tags of a static docs site written as Markdown. */
export function liquidToMarkdown(markdown: string): string {
  if (!markdown.includes('{%')) return withoutBaseUrls(markdown);
  // A raw block is an example: set aside under a mark the text does not hold, so that nothing
  // below reads its tags, and put back without its own tags. In place, not cut out: a code block
  // around it must stay one code block.
  const mark = unusedCharacter(markdown);
  if (mark === null) return markdown; // a text that holds every private use character is no docs page
  const raws: string[] = [];
  const text = replaceUpToLast(markdown, /\{%-?\s*endraw\s*-?%\}/g, RAW, (_: string, body: string) => `${mark}${raws.push(body) - 1}${mark}`);
  return converted(text).replace(new RegExp(`${mark}(\\d+)${mark}`, 'g'), (_, i: string) => raws[Number(i)]!);
}

/** A private use character that `text` does not hold, or null when it holds them all. */
function unusedCharacter(text: string): string | null {
  const used = new Set(text.match(/\p{Co}/gu));
  for (const [from, to] of [[0xe000, 0xf8ff], [0xf0000, 0xffffd], [0x100000, 0x10fffd]] as const) {
    for (let c = from; c <= to; c++) if (!used.has(String.fromCodePoint(c))) return String.fromCodePoint(c);
  }
  return null;
}

function converted(markdown: string): string {
  let text = replaceUpToLast(markdown, /\{%-?\s*endcomment\s*-?%\}/g, /\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, () => '');
  // An alert box becomes a quote, its title (if any) in bold.
  text = replaceUpToLast(text, /\{%-?\s*endalert\s*-?%\}/g, /^[ \t]*\{%-?\s*alert\b((?:[^%]|%(?!\}))*?)-?%\}([\s\S]*?)\{%-?\s*endalert\s*-?%\}/gm, (_: string, head: string, body: string) => {
    const title = args(head)[0];
    return `${title ? `> **${title}**\n>\n` : ''}${quoted(body)}\n`;
  });
  text = withoutBaseUrls(text);
  const code = codeRanges(text);
  return replaceUpToLast(text, /%\}/g, TAG, (all: string, name: string, rest: string, at: number) => (inCode(code, at) ? all : inline(name, args(rest)) ?? all));
}

/** `text` without the base path's output tags before its addresses, except in code. */
function withoutBaseUrls(text: string): string {
  if (!text.includes('{{')) return text;
  const code = codeRanges(text);
  return text.replace(BASE_URL, (tag: string, at: number) => (inCode(code, at) ? tag : ''));
}

/**
 * The addresses a static site gives a page besides its file's (Jekyll's and Eleventy's
 * `permalink`, jekyll-redirect-from's `redirect_from`), without their slashes: "travel-101".
 */
export function siteAddresses(frontmatter: Record<string, unknown>): string[] {
  const values = [frontmatter.permalink, frontmatter.redirect_from].flat();
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/^\/+|\/+$/g, '')).filter(Boolean);
}
