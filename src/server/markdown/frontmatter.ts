// Leading `---` YAML block of a Markdown file, and the title and tags derived from it.
import { parseDocument } from 'yaml';
import { codeRanges, inCode } from './code-ranges.ts';

const OPEN = /^---[ \t]*\n/;
const CLOSE = /^(?:---|\.\.\.)[ \t]*$/;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 64;

export function splitFrontmatter(source: string): { data: Record<string, unknown>; body: string } {
  const text = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const open = OPEN.exec(text);
  if (!open) return { data: {}, body: text };
  // Find the closing line by scanning lines (no regex over the whole block).
  let lineStart = open[0].length;
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline;
    if (CLOSE.test(text.slice(lineStart, lineEnd))) {
      const yaml = text.slice(open[0].length, lineStart);
      return { data: parseYaml(yaml), body: newline < 0 ? '' : text.slice(newline + 1) };
    }
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  return { data: {}, body: text };
}

/** Never throws: invalid YAML, alias bombs and non-mapping documents all give `{}`. */
function parseYaml(yaml: string): Record<string, unknown> {
  try {
    const doc = parseDocument(yaml, { uniqueKeys: false, prettyErrors: false }); // repeated keys: last wins
    if (doc.errors.length > 0) return {};
    const value: unknown = doc.toJS({ maxAliasCount: 10 }); // alias bombs fail fast
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Frontmatter `title`, else the first `# ` heading, else the file name without `.md`. */
export function deriveTitle(data: Record<string, unknown>, body: string, fileName: string): string {
  const fromData = typeof data['title'] === 'string' ? data['title'].trim() : '';
  if (fromData) return fromData;
  const fromHeading = firstH1(body);
  if (fromHeading) return fromHeading;
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return base.replace(/\.md$/i, '');
}

function firstH1(body: string): string {
  const code = codeRanges(body);
  let at = 0;
  for (const line of body.split('\n')) {
    const start = at;
    at += line.length + 1;
    if (inCode(code, start)) continue; // a fenced block's lines
    const h1 = /^ {0,3}#(?:[ \t]+(.*))?$/.exec(line);
    if (!h1) continue;
    const title = (h1[1] ?? '')
      .replace(/[ \t]+#+[ \t]*$/, '') // closing sequence: `# Title ##`
      .replace(/[ \t]*\{#[^{}]*\}[ \t]*$/, '') // VitePress id: `# Title {#id}`
      .replace(/(?:^|[ \t]+)#+[ \t]*$/, '')
      .trim();
    if (title) return title;
  }
  return '';
}

/** `tags` as a list or a comma-separated string: trimmed, deduplicated, ≤ 64 chars, at most 50. */
export function deriveTags(data: Record<string, unknown>): string[] {
  const raw = data['tags'];
  const items: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  const tags = new Set<string>();
  for (const item of items) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    const tag = String(item).trim();
    if (tag === '' || tag.length > MAX_TAG_LENGTH) continue;
    tags.add(tag);
    if (tags.size === MAX_TAGS) break;
  }
  return [...tags];
}
