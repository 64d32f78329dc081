// Runs the CommonMark 0.31.2 and GFM 0.29 spec examples through the parsing core of our Markdown
// pipeline (no sanitizing, highlighting, heading ids or wiki links) and prints pass counts.
//   node scripts/bench/markdown-spec.ts [--verbose]
// DOSSIER_CORPUS names the corpus root (as for scripts/bench/run.ts) or its markdown-spec folder.
// Both sides are parsed as HTML (parse5) and re-serialized with whitespace collapsed outside
// <pre>, whitespace next to block tags dropped, attributes sorted and entities decoded — the
// same idea as commonmark's own normalize.py.
import fs from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import rehypeRaw from 'rehype-raw';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';

interface Example { markdown: string; html: string; example: number; section: string }

const corpus = locateCorpus(process.env['DOSSIER_CORPUS']);
function locateCorpus(override: string | undefined): string {
  if (!override) return path.resolve(import.meta.dirname, '../../../shared/corpus/markdown-spec');
  const root = path.resolve(override);
  return fs.existsSync(path.join(root, 'commonmark/spec.json')) ? root : path.join(root, 'markdown-spec');
}
const verbose = process.argv.includes('--verbose');

const commonmark = unified().use(remarkParse).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeStringify);
const gfm = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw).use(rehypeStringify);
const htmlParser = unified().use(rehypeRaw);
const serializer = unified().use(rehypeStringify);

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'dd', 'details', 'dialog', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'html', 'iframe',
  'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul',
]);

function parseHtml(html: string): Root {
  const raw = { type: 'root', children: [{ type: 'raw', value: html }] } as unknown as Root;
  return htmlParser.runSync(raw) as Root;
}

function isBlock(node: RootContent | undefined): boolean {
  return node?.type === 'element' && BLOCK.has(node.tagName);
}

function serializeChildren(parent: Root | Element, inPre: boolean): string {
  const blockParent = parent.type === 'root' || BLOCK.has(parent.tagName);
  const children = parent.children as RootContent[];
  let out = '';
  children.forEach((child, i) => {
    if (child.type === 'text') {
      let value = child.value;
      if (!inPre) {
        value = value.replace(/\s+/g, ' ');
        if (isBlock(children[i - 1]) || (i === 0 && blockParent)) value = value.trimStart();
        if (isBlock(children[i + 1]) || (i === children.length - 1 && blockParent)) value = value.trimEnd();
      }
      out += serializer.stringify({ type: 'root', children: [{ type: 'text', value }] });
    } else if (child.type === 'element') {
      out += serializeElement(child, inPre);
    }
    // Comments, doctypes: ignored, as normalize.py does for comments' whitespace only; rare here.
  });
  return out;
}

function serializeElement(node: Element, inPre: boolean): string {
  const properties = Object.fromEntries(Object.entries(node.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const shell: Element = { type: 'element', tagName: node.tagName, properties, children: [] };
  const html = serializer.stringify({ type: 'root', children: [shell as ElementContent] });
  const close = '</' + node.tagName + '>';
  const open = html.endsWith(close) ? html.slice(0, -close.length) : html;
  if (!html.endsWith(close)) return open; // void element
  const content = node.tagName === 'template' ? '' : serializeChildren(node, inPre || node.tagName === 'pre');
  return open + content + close;
}

function normalize(html: string): string {
  // Trimmed first: a trailing newline after an unclosed <a> would otherwise make parse5 reopen it.
  return serializeChildren(parseHtml(html.trim()), false);
}

function run(name: string, file: string, processor: typeof gfm | typeof commonmark): { passed: number; total: number } {
  const examples = JSON.parse(fs.readFileSync(path.join(corpus, file), 'utf8')) as Example[];
  const failedBySection = new Map<string, number[]>();
  let passed = 0;
  const started = performance.now();
  for (const ex of examples) {
    let actual: string;
    try {
      actual = String(processor.processSync(ex.markdown));
    } catch (error) {
      actual = `<!-- threw: ${String(error)} -->`;
    }
    if (normalize(actual) === normalize(ex.html)) {
      passed++;
      continue;
    }
    const list = failedBySection.get(ex.section) ?? [];
    list.push(ex.example);
    failedBySection.set(ex.section, list);
    if (verbose) {
      console.log(`--- ${name} example ${ex.example} (${ex.section})`);
      console.log('markdown: ' + JSON.stringify(ex.markdown));
      console.log('expected: ' + JSON.stringify(normalize(ex.html)));
      console.log('actual:   ' + JSON.stringify(normalize(actual)));
    }
  }
  const ms = Math.round(performance.now() - started);
  console.log(`${name}: ${passed}/${examples.length} passed (${ms} ms)`);
  for (const [section, numbers] of failedBySection) {
    console.log(`  ${section}: ${numbers.length} failed (#${numbers.join(', #')})`);
  }
  return { passed, total: examples.length };
}

if (!fs.existsSync(path.join(corpus, 'commonmark/spec.json'))) {
  console.error(`markdown-spec: no corpus at ${corpus} (set DOSSIER_CORPUS)`);
  process.exit(2);
}
run('CommonMark 0.31.2', 'commonmark/spec.json', commonmark);
run('GFM 0.29', 'gfm/spec.json', gfm);
