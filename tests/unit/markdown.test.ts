import { describe, it, expect } from 'vitest';
import type { Element, Root } from 'hast';
import rehypeRaw from 'rehype-raw';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { pageHref, renderMarkdown, type RenderContext } from '../../src/server/markdown/render.ts';
import { scanWikiLinks } from '../../src/server/markdown/wiki-links.ts';

function context(): RenderContext {
  return { space: 'main' };
}

const render = (md: string) => renderMarkdown(md, context());

/** Parses HTML the way a browser would (parse5) so checks see elements, not substrings. */
function parseHtml(html: string): Root {
  const raw = { type: 'root', children: [{ type: 'raw', value: html }] } as unknown as Root;
  return unified().use(rehypeRaw).runSync(raw) as Root;
}

function elements(html: string, tagName?: string): Element[] {
  const found: Element[] = [];
  visit(parseHtml(html), 'element', (node) => {
    if (!tagName || node.tagName === tagName) found.push(node);
  });
  return found;
}

describe('pageHref', () => {
  it('encodes the space and every path segment', () => {
    expect(pageHref('eng', '')).toBe('/s/eng');
    expect(pageHref('eng', 'a b/c?d#e')).toBe('/s/eng/a%20b/c%3Fd%23e');
    expect(pageHref('docs', '安装/指南')).toBe('/s/docs/' + encodeURIComponent('安装') + '/' + encodeURIComponent('指南'));
    expect(pageHref('x', '%.md')).toBe('/s/x/%25.md');
  });
});

describe('GFM', () => {
  it('renders tables with alignment', () => {
    const { html } = render('| a | b |\n|:--|--:|\n| 1 | 2 |');
    expect(html).toContain('<table>');
    expect(html).toContain('<th align="left">a</th>');
    expect(html).toContain('<td align="right">2</td>');
  });

  it('renders task lists with disabled checkboxes, each named by its own item\'s text', () => {
    const { html } = render('- [x] done **well**\n- [ ] todo\n  - [ ] nested 子项\n\n1. [ ] loose\n\n   more');
    expect(html).toContain('<ul class="contains-task-list">');
    expect(html).toContain('<li class="task-list-item"><input type="checkbox" checked disabled aria-label="done well"> done <strong>well</strong></li>');
    expect(html).toContain('<input type="checkbox" disabled aria-label="todo"> todo');
    expect(html).toContain('<input type="checkbox" disabled aria-label="nested 子项"> nested 子项');
    expect(html).toContain('<p><input type="checkbox" disabled aria-label="loose"> loose</p>');
    // Markdown cannot name a box itself: its own aria-label is still removed.
    expect(render('- [ ] <input type="checkbox" aria-label="x"> y').html).not.toContain('aria-label="x"');
  });

  it('renders strikethrough and autolinks', () => {
    const { html } = render('~~gone~~ www.example.com and https://example.org/x?y=1');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<a href="http://www.example.com">www.example.com</a>');
    expect(html).toContain('<a href="https://example.org/x?y=1">https://example.org/x?y=1</a>');
  });

  it('renders footnotes whose links reach their targets', () => {
    const { html } = render('Text[^1] and more[^note].\n\n[^1]: First.\n[^note]: Second.');
    const ids = new Set(elements(html).map((e) => e.properties.id).filter((id) => typeof id === 'string'));
    const hrefs = elements(html, 'a').map((a) => String(a.properties.href));
    const local = hrefs.filter((h) => h.startsWith('#'));
    expect(local.length).toBe(4); // two references, two back references
    for (const href of local) expect(ids.has(href.slice(1)), href).toBe(true);
    expect(html).not.toContain('user-content-user-content-');
    expect(html).toContain('id="user-content-fn-1"');
    expect(html).toContain('href="#user-content-fn-1"');
  });
});

describe('code highlighting', () => {
  it('adds highlight.js classes, never inline styles', () => {
    const { html } = render('```js\nconst x = 1; // note\n```');
    expect(html).toContain('<code class="hljs language-js">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-comment">// note</span>');
    expect(html).not.toContain('style=');
  });

  it('leaves unknown languages and unlabelled blocks as plain text', () => {
    expect(render('```nosuchlang\n<b>x</b>\n```').html).toContain('<code class="hljs language-nosuchlang">&lt;b>x&lt;/b>\n</code>');
    expect(render('```\nplain\n```').html).toBe('<pre><code>plain\n</code></pre>');
  });

  it('skips highlighting of very large blocks', () => {
    const { html } = render('```js\n' + 'let a = 1;\n'.repeat(12_000) + '```');
    expect(html).not.toContain('hljs-keyword');
    expect(html).toContain('no-highlight');
  });
});

describe('headings', () => {
  it('gets slug ids, anchor links and a heading list', () => {
    const r = render('# Hello World\n\n## Hello World\n\n### 安装 指南\n\n#### Deep `code`');
    expect(r.headings).toEqual([
      { depth: 1, id: 'hello-world', text: 'Hello World' },
      { depth: 2, id: 'hello-world-1', text: 'Hello World' },
      { depth: 3, id: '安装-指南', text: '安装 指南' },
      { depth: 4, id: 'deep-code', text: 'Deep code' },
    ]);
    expect(r.html).toContain('<h1 id="hello-world">Hello World<a class="anchor" href="#hello-world" aria-hidden="true" tabindex="-1">#</a></h1>');
    expect(r.html).toContain('<h2 id="hello-world-1">');
  });

  it('honours VitePress {#id} suffixes and keeps prefixed raw HTML ids', () => {
    const r = render('## Getting Started {#start}\n\n<h3 id="raw">Raw</h3>');
    expect(r.headings).toEqual([
      { depth: 2, id: 'start', text: 'Getting Started' },
      { depth: 3, id: 'user-content-raw', text: 'Raw' },
    ]);
    expect(r.html).toContain('<h2 id="start">Getting Started<a class="anchor" href="#start"');
  });

  it('does not list the footnote label as a heading', () => {
    const r = render('# Top\n\nx[^1]\n\n[^1]: note');
    expect(r.headings.map((h) => h.text)).toEqual(['Top']);
    expect(r.sections.map((s) => s.heading)).toEqual(['', 'Top']);
  });
});

describe('text and sections', () => {
  it('splits plain text at h1–h3, with a leading section for text before the first heading', () => {
    const r = render('Intro *here*.\n\n# One\n\nAlpha.\n\n#### Minor\n\nBeta.\n\n## Two\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |');
    expect(r.sections).toEqual([
      { heading: '', anchor: '', text: 'Intro here.' },
      { heading: 'One', anchor: 'one', text: 'Alpha.\n\nMinor\n\nBeta.' },
      { heading: 'Two', anchor: 'two', text: expect.stringMatching(/^a\n+b[\s\S]*x[\s\S]*y[\s\S]*1[\s\S]*2$/) },
    ]);
    expect(r.text.startsWith('Intro here.\n\nOne\n\nAlpha.')).toBe(true);
    expect(r.text).not.toContain('#');
  });

  it('always has the leading section, empty when the page starts with a heading', () => {
    expect(render('# Only').sections).toEqual([
      { heading: '', anchor: '', text: '' },
      { heading: 'Only', anchor: 'only', text: '' },
    ]);
    expect(render('').sections).toEqual([{ heading: '', anchor: '', text: '' }]);
  });

  it('includes image alt text and footnote text but not back-link arrows', () => {
    const r = render('![A diagram](/d.png) see[^1]\n\n[^1]: The note.');
    expect(r.text).toContain('A diagram');
    expect(r.text).toContain('The note.');
    expect(r.text).not.toContain('↩');
    expect(r.text).not.toContain('Footnotes');
  });
});

describe('wiki links', () => {
  // Whether a target exists, and for whom, is decided when a page is shown (html-for-viewer.ts).
  it('writes every link in one form, naming its target but not resolving it', () => {
    const r = render('See [[Install Guide]] and [[Home]].');
    expect(r.html).toContain('<a href="/s/main/install-guide?edit&amp;title=Install%20Guide" class="wikilink missing" data-wiki="main/Install%20Guide">Install Guide</a>');
    expect(r.html).toContain('<a href="/s/main/home?edit&amp;title=Home" class="wikilink missing" data-wiki="main/Home">Home</a>');
    expect(r.links).toEqual([{ space: 'main', title: 'Install Guide' }, { space: 'main', title: 'Home' }]);
  });

  it('links missing pages to their editor', () => {
    const r = render('[[安装 指南]]');
    const cjk = encodeURIComponent('安装-指南');
    expect(r.html).toContain(`href="/s/main/${cjk}?edit&amp;title=${encodeURIComponent('安装 指南')}"`);
  });

  it('supports cross-space links, labels and anchors', () => {
    const r = render('[[eng:Deploy]] [[eng:Deploy|how we ship]] [[Install Guide#Step Two|step 2]] [[other:Thing]]');
    expect(r.html).toContain('<a href="/s/eng/deploy?edit&amp;title=Deploy" class="wikilink missing" data-wiki="eng/Deploy">Deploy</a>');
    expect(r.html).toContain('data-wiki="eng/Deploy">how we ship</a>');
    expect(r.html).toContain('data-wiki="main/Install%20Guide#step-two">step 2</a>');
    expect(r.html).toContain('data-wiki="other/Thing">Thing</a>');
    expect(r.links).toEqual([
      { space: 'eng', title: 'Deploy' },
      { space: 'main', title: 'Install Guide' },
      { space: 'other', title: 'Thing' },
    ]);
  });

  it('keeps hostile titles inside the attribute', () => {
    const r = render('[[a" onmouseover="x & \'b\'#"c]]');
    expect(elements(r.html, 'a')).toHaveLength(1);
    expect(elements(r.html, 'a')[0]!.properties).not.toHaveProperty('onMouseOver');
    expect(elements(r.html, 'a')[0]!.properties.dataWiki).toBe(`main/${encodeURIComponent('a" onmouseover="x & \'b\'')}#c`);
  });

  it('treats a prefix that is not a valid space key as part of the title', () => {
    const r = render('[[Note: read me]] [[ENG:Deploy]] [[a_b:c]]');
    expect(r.links).toEqual([
      { space: 'main', title: 'Note: read me' },
      { space: 'main', title: 'ENG:Deploy' },
      { space: 'main', title: 'a_b:c' },
    ]);
  });

  it('lists each distinct target once', () => {
    const r = renderMarkdown('[[Home]] [[Home|again]] [[Home#x]]\n\n[[Home]]', context());
    expect(r.links).toEqual([{ space: 'main', title: 'Home' }]);
  });

  it('leaves malformed or oversized links as text', () => {
    for (const md of ['[[]]', '[[ ]]', '[[|label]]', '[[#anchor]]', '[[open', 'a ]] b', `[[${'x'.repeat(201)}]]`, '[[a[b]]', '[[a]b]]', '[[a\nb]]']) {
      const r = render(md);
      expect(r.links, md).toEqual([]);
      expect(r.html, md).not.toContain('wikilink');
    }
    expect(render(`[[${'x'.repeat(200)}]]`).links).toHaveLength(1);
  });

  it('uses the innermost [[ before ]]', () => {
    const home = '<a href="/s/main/home?edit&amp;title=Home" class="wikilink missing" data-wiki="main/Home">Home</a>';
    expect(render('[[a [[Home]]').html).toBe(`<p>[[a ${home}</p>`);
    expect(render('[[[Home]]]').html).toBe(`<p>[${home}]</p>`);
  });

  it('ignores code, inline code and links', () => {
    const r = render('`[[Home]]`\n\n```\n[[Home]]\n```\n\n[see [[Home]]](https://example.com)\n\n    [[Home]]');
    expect(r.links).toEqual([]);
    expect(r.html).not.toContain('wikilink');
  });

  it('finds links inside emphasis, headings and table cells', () => {
    const r = render('# About [[Home]]\n\n*[[eng:Deploy]]*\n\n| a |\n|---|\n| [[Install Guide\\|guide]] |');
    expect(r.links).toHaveLength(3);
    expect(r.html).toContain('data-wiki="main/Install%20Guide">guide</a></td>');
    expect(r.headings[0]).toEqual({ depth: 1, id: 'about-home', text: 'About Home' });
  });

  it('scans in linear time', () => {
    const text = '[['.repeat(50_000) + 'x]]' + ' [[a]]'.repeat(10_000);
    const t = performance.now();
    const found = scanWikiLinks(text);
    expect(performance.now() - t).toBeLessThan(200);
    expect(found).toHaveLength(10_001);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile input (shared/HOSTILE-INPUTS.md items 1–11): nothing executable survives.

const FORBIDDEN_TAGS = new Set([
  'script', 'style', 'iframe', 'object', 'embed', 'form', 'base', 'meta', 'link', 'svg', 'math',
  'noscript', 'template', 'textarea', 'frame', 'frameset', 'applet', 'button', 'select', 'xmp',
]);
const URL_PROPS = new Set(['href', 'src', 'srcSet', 'cite', 'longDesc', 'action', 'formAction', 'data', 'poster', 'background', 'ping']);
const UNSAFE_URL = /(?:^|,)(?:javascript|vbscript|data):/;

function assertSafe(html: string): void {
  // Substring checks first (the structural checks below are the stronger ones).
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<iframe/i);
  expect(html).not.toMatch(/<style/i);
  expect(html).not.toMatch(/<(?:object|embed|form|base|meta|svg|math|noscript|template|textarea)\b/i);
  // Attribute values may quote hostile text (a title, a tooltip); blank them, then look for
  // handler and style attributes.
  const tags = html.replace(/="[^"]*"/g, '=""');
  expect(tags).not.toMatch(/\son\w+\s*=/i);
  expect(tags).not.toMatch(/\sstyle\s*=/i);
  for (const [, value] of html.matchAll(/\s(?:href|src|srcset|cite|action|formaction|poster|data|longdesc)="([^"]*)"/gi)) {
    expect(value).not.toMatch(/^\s*(?:javascript|vbscript|data):/i);
  }
  visit(parseHtml(html), 'element', (node) => {
    expect(FORBIDDEN_TAGS.has(node.tagName), node.tagName).toBe(false);
    for (const [key, value] of Object.entries(node.properties)) {
      expect(key.toLowerCase().startsWith('on'), key).toBe(false);
      expect(key).not.toBe('style');
      if (URL_PROPS.has(key)) {
        // Browsers drop ASCII whitespace/control characters inside a scheme.
        const url = String(value).replace(/[\u0000-\u0020]/g, '').toLowerCase();
        expect(url, key).not.toMatch(UNSAFE_URL);
      }
      if ((key === 'id' || key === 'name') && !/^h[1-6]$/.test(node.tagName)) {
        expect(String(value), key).toMatch(/^user-content-/);
      }
    }
  });
}

interface HostileCase { name: string; md: string; check?: (html: string) => void }

const hostile: HostileCase[] = [
  { name: '1 script element', md: '<script>alert(1)</script>\n\nok <script src="https://evil/x.js"></script>' },
  { name: '1 script in an HTML block', md: '<div>\n<script>alert(1)</script>\n</div>' },
  { name: '2 img onerror', md: '<img src=x onerror=alert(1)>', check: (h) => expect(h).toContain('<img src="x">') },
  { name: '2 img onerror, mixed case and slash', md: '<IMG SRC=x oNeRrOr=alert(1)/><img/src="x"/onerror="alert(1)">' },
  { name: '3 javascript: markdown links', md: '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](<javascript:alert(1)>) ![i](javascript:alert(1))' },
  { name: '3 javascript: entity-encoded', md: '[c](java&#x09;script:alert(1)) [d](&#106;avascript:alert(1)) [e](&#x6A;avascript&colon;alert(1))' },
  { name: '3 javascript: in raw HTML', md: '<a href="java&#x09;script:alert(1)">x</a> <a href=" javascript:alert(1)">y</a> <a href="jav&#x0A;ascript:alert(1)">z</a> <a href="vbscript:msgbox(1)">v</a>' },
  { name: '3 javascript: reference definition', md: '[x]\n\n[x]: javascript:alert(1)' },
  { name: '4 data: links and images', md: '[x](data:text/html;base64,PHNjcmlwdD4=) ![y](data:image/svg+xml;base64,PHN2Zz4=) <img src="data:image/svg+xml,<svg onload=alert(1)>">' },
  { name: '4 srcset lists', md: '<picture><source srcset="https://ok/a.png 1x, javascript:alert(1) 2x"><img srcset="data:image/svg+xml,x 1x"></picture>' },
  { name: '5 iframe/object/embed', md: '<iframe src="https://evil"></iframe><object data="x.swf"></object><embed src="x.swf">' },
  { name: '5 form/base/meta refresh', md: '<form action="https://evil"><input name="q"><button formaction="javascript:alert(1)">go</button></form>\n\n<base href="https://evil/">\n\n<meta http-equiv="refresh" content="0;url=https://evil">' },
  { name: '6 svg onload', md: '<svg onload=alert(1)><circle r="1"/></svg>' },
  { name: '6 mXSS math/mglyph/style chain', md: '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>' },
  { name: '6 mXSS noscript', md: '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>' },
  { name: '6 template and raw text elements', md: '<template><img src=x onerror=alert(1)></template><textarea><img src=x onerror=alert(1)></textarea><xmp><img src=x onerror=alert(1)></xmp>' },
  { name: '6 event handlers elsewhere', md: '<details open ontoggle=alert(1)>x</details> <a href="#" onclick="alert(1)">c</a> <input autofocus onfocus=alert(1)>' },
  {
    name: '7 template injection stays text',
    md: "{{constructor.constructor('alert(1)')()}} `{{constructor.constructor('alert(1)')()}}`",
    check: (h) => expect(h).toContain("<p>{{constructor.constructor('alert(1)')()}} <code>{{constructor.constructor('alert(1)')()}}</code></p>"),
  },
  { name: '8 style element and attribute', md: '<style>body{display:none}</style>\n\n<p style="position:fixed">x</p> <span style="color:red">y</span>', check: (h) => expect(h).toContain('&lt;style>body{display:none}&lt;/style>') },
  { name: '9 clobbering ids and names', md: '<div id="__proto__">a</div> <img name="forms" src="/x.png"> <a id="location" name="cookie">c</a>', check: (h) => expect(h).toContain('id="user-content-__proto__"') },
  {
    name: '10 __proto__ heading and constructor footnote',
    md: '# \\_\\_proto\\_\\_\n\n# __proto__\n\n## constructor\n\nx[^constructor] y[^__proto__] z[^hasOwnProperty]\n\n[^constructor]: a\n[^__proto__]: b\n[^hasOwnProperty]: c',
    check: (h) => {
      expect(h).toContain('<h1 id="__proto__">');
      expect(h).toContain('id="user-content-fn-constructor"');
      expect(h).toContain('id="user-content-fn-hasownproperty"');
    },
  },
  { name: '11 wiki link with markup in the title', md: '[[Page"><script>]] [[Page"> &lt;script&gt;alert(1)&lt;/script&gt;]]', check: (h) => {
      expect(h).toContain('<p>[[Page">&lt;script>]] <a href="/s/main/page-scriptalert1script?edit&amp;title=Page%22%3E%20%3Cscript%3E');
      expect(h).toContain('data-wiki="main/Page%22%3E%20%3Cscript%3Ealert(1)%3C%2Fscript%3E">Page"> &lt;script>alert(1)&lt;/script></a>');
    },
  },
  {
    name: '1 tagfilter keeps text after an unclosed script',
    md: 'Use the <script> tag.\n\n# Later\n\n<textarea>',
    check: (h) => {
      expect(h).toContain('<p>Use the &lt;script> tag.</p>');
      expect(h).toContain('<h1 id="later">');
    },
  },
  {
    name: '11 wiki link path traversal',
    md: '[[space:../../admin]] [[../../etc/passwd]]',
    check: (h) => {
      for (const a of elements(h, 'a')) expect(String(a.properties.href)).toMatch(/^\/s\/(space|main)\/[^/]+\?edit&title=/);
    },
  },
  {
    name: '11 wiki link with a javascript "space"',
    md: '[[javascript:alert(1)]]',
    check: (h) => expect(String(elements(h, 'a')[0]?.properties.href)).toBe('/s/javascript/alert1?edit&title=alert(1)'),
  },
  { name: 'html comment and CDATA', md: '<!-- <script>alert(1)</script> --><![CDATA[<script>alert(1)</script>]]>' },
  { name: 'autolink with javascript', md: '<javascript:alert(1)> www.javascript:alert(1).com', check: (h) => expect(h).toContain('<a>javascript:alert(1)</a>') },
];

describe('hostile input', () => {
  it.each(hostile)('$name', ({ md, check }) => {
    const r = render(md);
    assertSafe(r.html);
    check?.(r.html);
  });

  it('has at least 20 cases', () => {
    expect(hostile.length).toBeGreaterThanOrEqual(20);
  });
});

// HOSTILE-INPUTS items 13–14 and 11: pathological shapes finish quickly and render something sane.
describe('pathological input', () => {
  const timings: Record<string, number> = {};
  const cases: [string, () => string, (html: string) => void][] = [
    ['100k [', () => '['.repeat(100_000), (h) => expect(h.length).toBeGreaterThan(100_000)],
    ['100k *', () => '*'.repeat(100_000), (h) => expect(h).toBe('<hr>')],
    ['100k * with text', () => '*a '.repeat(33_000), (h) => expect(h.startsWith('<p>')).toBe(true)],
    ['10k nested >', () => '>'.repeat(10_000) + ' deep', (h) => expect(h.split('<blockquote>').length - 1).toBe(32)],
    ['10k nested lists', () => '- '.repeat(10_000) + 'deep', (h) => expect(h.split('<ul>').length - 1).toBe(32)],
    ['500 kB table row of |', () => '| a |\n|---|\n' + '|'.repeat(500_000), (h) => expect(h).toContain('<th>a</th>')],
    ['500 kB header row of |', () => '|'.repeat(500_000) + '\n|-|\n', (h) => expect(h.startsWith('<p>|||')).toBe(true)],
    ['[[ x 50k', () => '[['.repeat(50_000), (h) => expect(h).not.toContain('wikilink')],
    ['10k nested <div>', () => '<div>'.repeat(10_000) + 'x', (h) => expect(h.startsWith('<pre class="markdown-fallback">&lt;div&gt;')).toBe(true)],
    ['1k lists nested by indentation (1 MB)', () => Array.from({ length: 1000 }, (_, i) => ' '.repeat(2 * i) + '- a').join('\n'), (h) => expect(h.startsWith('<ul>')).toBe(true)],
  ];

  it.each(cases)('%s', (name, make, check) => {
    const md = make();
    const t = performance.now();
    const r = render(md);
    timings[name] = Math.round(performance.now() - t);
    expect(timings[name]).toBeLessThan(5000);
    check(r.html);
    assertSafe(r.html);
  });

  it('reports timings', () => {
    console.log('markdown pathological timings (ms):', JSON.stringify(timings));
  });
});

describe('fallback', () => {
  it('shows the escaped source when the tree is too deep to render, keeping wiki refs', () => {
    const r = render('[[Home]] <b>"x"</b> ' + '<span>'.repeat(10_000));
    expect(r.html.startsWith('<pre class="markdown-fallback">[[Home]] &lt;b&gt;&quot;x&quot;&lt;/b&gt; &lt;span&gt;')).toBe(true);
    expect(r.links).toEqual([{ space: 'main', title: 'Home' }]);
    expect(r.headings).toEqual([]);
    expect(r.sections).toHaveLength(1);
  });
});

describe('input normalization', () => {
  it('ignores a BOM and accepts CRLF and NUL', () => {
    const r = render('\uFEFF# Title\r\n\r\nline\u0000x\r\n');
    expect(r.headings).toEqual([{ depth: 1, id: 'title', text: 'Title' }]);
    expect(r.html).toContain('<p>line\uFFFDx</p>');
  });
});

describe('source guards keep normal documents unchanged', () => {
  it('leaves moderate nesting, thematic breaks and normal tables alone', () => {
    expect(render('> '.repeat(5) + 'x').html.split('<blockquote>').length - 1).toBe(5);
    expect(render('- '.repeat(40).trim()).html).toBe('<hr>');
    const row = render('| a | b |\n|---|---|\n| 1 | 2 | 3 |').html;
    expect(row).toContain('<td>1</td>\n<td>2</td>\n</tr>');
    expect(row).not.toContain('3');
  });

  it('cuts an over-long row to the table width with the same result', () => {
    const html = render('| a | b |\n|---|---|\n| 1 | 2 ' + '| x '.repeat(300) + '|').html;
    expect(html).toContain('<td>1</td>\n<td>2</td>\n</tr>');
    expect(html).not.toContain('x');
  });

  it('caps indentation deeper than 64 columns outside fenced code', () => {
    const deep = render('- a\n' + ' '.repeat(200) + 'b').html;
    expect(deep).toBe(render('- a\n' + ' '.repeat(64) + 'b').html);
    const fenced = '```\n' + ' '.repeat(100) + 'x\n```';
    expect(render(fenced).html).toBe('<pre><code>' + ' '.repeat(100) + 'x\n</code></pre>');
  });

  it('does not touch fenced code', () => {
    const code = '```\n' + '> '.repeat(40) + 'x\n```';
    expect(render(code).html).toBe('<pre><code>' + '> '.repeat(40) + 'x\n</code></pre>');
  });
});
