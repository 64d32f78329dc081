// Confluence's HTML space export (Space tools → Export space → HTML) made a folder of Markdown
// pages, imported then as any other folder (import-folder.ts). Its index.html holds the space's
// name and page tree: each page takes its place in that tree by its title, and a single top page
// becomes the space's home. Each page's main content is converted by rehype-remark (tables as GFM
// tables, code macros as fenced code); its links to other pages point at their files (import-paths.ts
// makes them wiki links); the images and attachments it uses are copied beside it with their links
// (attachments/import.ts brings them in), and its attachment list is kept as a list of links.
import fs from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { select, selectAll } from 'hast-util-select';
import { toString } from 'hast-util-to-string';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import remarkGfm from 'remark-gfm';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { visitParents } from 'unist-util-visit-parents';
import YAML from 'yaml';
import { NOT_A_FILE } from '../attachments/import.ts';

const htmlParser = unified().use(rehypeParse);
const toMarkdown = unified().use(rehypeRemark).use(remarkGfm).use(remarkStringify, { bullet: '-', fences: true, rule: '-' });

const readHtml = (file: string) => htmlParser.parse(fs.readFileSync(file, 'utf8'));
const text = (node: Root | Element | undefined) => (node ? toString(node).replace(/\s+/g, ' ').trim() : '');

/** A folder Confluence exported: its index.html lists the space's pages. */
export function isConfluenceExport(dir: string): boolean {
  const index = path.join(dir, 'index.html');
  return fs.existsSync(index) && /class="pageSection"[\s\S]*<a href="[^"]+\.html"/.test(fs.readFileSync(index, 'utf8'));
}

interface TreePage { file: string; title: string; parent: string | null }

/** The pages index.html lists, each with the page it sits under (an `li` inside another's). */
function pageTree(index: Root): TreePage[] {
  const pages: TreePage[] = [];
  const linkOf = (li: Element) => li.children.find((c): c is Element => c.type === 'element' && c.tagName === 'a');
  visitParents(index, 'element', (node: Element, ancestors) => {
    const href = node.properties.href;
    if (node.tagName !== 'a' || typeof href !== 'string' || !/^[^/:]+\.html$/.test(href) || href === 'index.html') return;
    // A page listed twice keeps its first place, so every parent is placed before its children.
    if (pages.some((p) => p.file === href)) return;
    const items = ancestors.filter((a): a is Element => a.type === 'element' && a.tagName === 'li');
    if (items.length === 0 || linkOf(items.at(-1)!) !== node) return;
    const parent = items.length > 1 ? linkOf(items.at(-2)!)?.properties.href : undefined;
    pages.push({ file: href, title: text(node), parent: typeof parent === 'string' ? parent : null });
  });
  return pages;
}

/** Where each page goes: its title under its parent's path; a single top page is the home page ("index"). */
function pagePaths(pages: TreePage[]): Map<string, string> {
  const files = new Set(pages.map((p) => p.file));
  const tops = pages.filter((p) => p.parent === null || !files.has(p.parent));
  const home = tops.length === 1 ? tops[0]!.file : null;
  const out = new Map<string, string>();
  const taken = new Set<string>();
  // In the index's order, a parent before its children (pageTree).
  for (const page of pages) {
    if (page.file === home) {
      out.set(page.file, '');
      continue;
    }
    const above = (page.parent !== null && out.get(page.parent)) || '';
    // A title is one segment of a path: no slashes, no control characters, never empty.
    const name = page.title.replace(/[/\\\u0000-\u001f\u007f]+/g, '-').replace(/^[.\s-]+|\s+$/g, '') || page.file.replace(/\.html$/, '');
    let p = above ? `${above}/${name}` : name;
    for (let n = 2; taken.has(p.toLowerCase()); n++) p = `${above ? `${above}/` : ''}${name} (${n})`;
    taken.add(p.toLowerCase());
    out.set(page.file, p);
  }
  return out;
}

const encodePath = (p: string) => p.split('/').map(encodeURIComponent).join('/');
// Confluence links its own pages and files relatively: anything from a root is not one of them.
const isLocal = (url: string) => !NOT_A_FILE.test(url) && !url.startsWith('/');

/**
 * Converts the Confluence export in `dir` into a folder of Markdown pages at `out`; how many pages.
 * Links are written from the folder's root (`/Team/Plan.md`, `/attachments/12/a.png`), which the
 * folder import resolves wherever the page lands.
 */
export async function confluenceToMarkdown(dir: string, out: string): Promise<number> {
  const index = readHtml(path.join(dir, 'index.html'));
  const pages = pageTree(index);
  const paths = pagePaths(pages);
  const mdFile = (p: string) => (p === '' ? 'index.md' : `${p}.md`);
  fs.mkdirSync(out, { recursive: true });
  // The space's name and description, from index.html's "Space Details" table.
  const details = new Map(selectAll('tr', index).map((tr) => [text(select('th', tr)), text(select('td', tr))]));
  const name = details.get('Name');
  if (name) fs.writeFileSync(path.join(out, '_space.yaml'), YAML.stringify({ name: name.slice(0, 120), description: details.get('Description') || undefined }));

  for (const page of pages) {
    const file = path.join(dir, page.file);
    if (!fs.existsSync(file)) continue;
    const html = readHtml(file);
    const main = select('#main-content', html);
    if (!main) continue;
    const linked = new Set<string>();
    const rewrite = (url: string): string => {
      const [rel = '', fragment] = url.split('#', 2);
      let target: string;
      try { target = decodeURIComponent(rel); } catch { return url; }
      const linkedPage = paths.get(target);
      if (linkedPage !== undefined) return `/${encodePath(mdFile(linkedPage))}${fragment ? `#${fragment}` : ''}`;
      const source = path.join(dir, target);
      if (!source.startsWith(dir + path.sep) || !fs.statSync(source, { throwIfNoEntry: false })?.isFile()) return url;
      fs.mkdirSync(path.dirname(path.join(out, target)), { recursive: true });
      fs.copyFileSync(source, path.join(out, target));
      linked.add(target);
      return `/${encodePath(target)}`;
    };
    for (const el of selectAll('a[href], img[src]', main)) {
      const attr = el.tagName === 'a' ? 'href' : 'src';
      const url = el.properties[attr];
      if (typeof url === 'string' && isLocal(url)) el.properties[attr] = rewrite(url);
    }
    // The page's attachment list sits outside its main content (whose links are rewritten above):
    // kept as links under its own heading.
    const listed: ElementContent[] = [];
    for (const a of selectAll('a[href^="attachments/"]', html)) {
      const href = a.properties.href as string;
      if (linked.has(decodeURIComponent(href.split('#')[0]!))) continue;
      const url = rewrite(href);
      if (url === href) continue;
      listed.push({ type: 'element', tagName: 'li', properties: {}, children: [{ type: 'element', tagName: 'a', properties: { href: url }, children: [{ type: 'text', value: text(a) || path.basename(href) }] }] });
    }
    const body: Root = { type: 'root', children: [...main.children] };
    if (listed.length) {
      const heading = selectAll('.pageSectionTitle', html).map((h) => text(h).replace(/:$/, '')).find((t) => /attach|附件/i.test(t)) ?? 'Attachments';
      body.children.push({ type: 'element', tagName: 'h2', properties: {}, children: [{ type: 'text', value: heading }] }, { type: 'element', tagName: 'ul', properties: {}, children: listed });
    }
    const markdown = toMarkdown.stringify(await toMarkdown.run(body));
    const target = path.join(out, mdFile(paths.get(page.file)!));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, `---\n${YAML.stringify({ title: page.title })}---\n\n${markdown}`);
  }
  return pages.length;
}
