// Docs sites built with Jekyll or Eleventy (the 18F handbook, GOV.UK-style handbooks) write their
// Markdown with Liquid tags, which a wiki would show as they are: "[Travel 101]({% page
// "/travel-101/" %})", "{% slack_channel "people-ops" %}". An import turns the tags such sites use
// into the Markdown they stand for, before its links are resolved: a page tag becomes the address
// it names, which the import then links to the imported page (by its file, `permalink` or
// `redirect_from`: `siteAddresses`). Tags inside code, and inside {% raw %}, are examples and stay
// as written; a tag not named here stays too.
import { codeRanges, inCode } from '../markdown/code-ranges.ts';

// {% name args %}, with Liquid's whitespace-trimming dashes; args up to the tag's end.
const TAG = /\{%-?\s*(\w+)((?:[^%]|%(?!\}))*?)-?%\}/g;
const RAW = /\{%-?\s*raw\s*-?%\}([\s\S]*?)\{%-?\s*endraw\s*-?%\}/g;
const ARG = /"([^"]*)"|'([^']*)'|([^\s,"']+)/g;

const args = (text: string) => [...text.matchAll(ARG)].map((m) => m[1] ?? m[2] ?? m[3]!);

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
  if (!markdown.includes('{%')) return markdown;
  // A raw block is an example: kept as written, without its own tags; the text around it is converted.
  let out = '';
  let at = 0;
  for (const m of markdown.matchAll(RAW)) {
    out += converted(markdown.slice(at, m.index)) + m[1];
    at = m.index + m[0].length;
  }
  return out + converted(markdown.slice(at));
}

function converted(markdown: string): string {
  let text = markdown.replace(/\{%-?\s*comment\s*-?%\}[\s\S]*?\{%-?\s*endcomment\s*-?%\}/g, '');
  // An alert box becomes a quote, its title (if any) in bold.
  text = text.replace(/^[ \t]*\{%-?\s*alert\b((?:[^%]|%(?!\}))*?)-?%\}([\s\S]*?)\{%-?\s*endalert\s*-?%\}/gm, (_, head: string, body: string) => {
    const title = args(head)[0];
    return `${title ? `> **${title}**\n>\n` : ''}${quoted(body)}\n`;
  });
  const code = codeRanges(text);
  return text.replace(TAG, (all, name: string, rest: string, at: number) => (inCode(code, at) ? all : inline(name, args(rest)) ?? all));
}

/**
 * The addresses a static site gives a page besides its file's (Jekyll's and Eleventy's
 * `permalink`, jekyll-redirect-from's `redirect_from`), without their slashes: "travel-101".
 */
export function siteAddresses(frontmatter: Record<string, unknown>): string[] {
  const values = [frontmatter.permalink, frontmatter.redirect_from].flat();
  return values.filter((v): v is string => typeof v === 'string').map((v) => v.replace(/^\/+|\/+$/g, '')).filter(Boolean);
}
