// Where imported Markdown files land as pages, and links between them (content-io/import-paths.ts):
// Notion's page ids left out of paths unless two pages would meet, relative page links made wiki links.
import { describe, expect, it } from 'vitest';
import { linkPages, pagePathsOf, withoutImageSizes } from '../../src/server/content-io/import-paths.ts';
import { MAX_WIKI_LINKS } from '../../src/server/markdown/link-caps.ts';
import { scanWikiLinks } from '../../src/server/markdown/wiki-links.ts';

const START = 'Get Started 723c6ce1473e40b9beebe9f3711c0ca3';
const DB = 'Untitled Database d1d49ff9051d4af9b1298c9056c294b2';

describe('page paths of imported files', () => {
  it("leaves Notion's ids out, keeping pages under their parents", () => {
    const paths = pagePathsOf([`${START}.md`, `${START}/Example sub page 4e3c9cede4924e10a3d9f78317eeb7ef.md`, 'docs/index.md', 'docs/setup.md']);
    expect([...paths.values()]).toEqual(['Get Started', 'Get Started/Example sub page', 'docs', 'docs/setup']);
  });

  it('keeps the ids of pages that would otherwise share a path, beside each other', () => {
    const rows = [`${START}/${DB}/Untitled f898129862c741f2a97fc2c87c72d1d5.md`, `${START}/${DB}/Untitled 5573bc4f889648bcbab0cbb37800d144.md`, `${START}/${DB}/Roadmap 657ab5ab814345da9fc57cd0bba925f4.md`];
    expect([...pagePathsOf(rows).values()]).toEqual([
      'Get Started/Untitled Database/Untitled f898129862c741f2a97fc2c87c72d1d5',
      'Get Started/Untitled Database/Untitled 5573bc4f889648bcbab0cbb37800d144',
      'Get Started/Untitled Database/Roadmap',
    ]);
    // A file of the same name without an id keeps its path; the Notion page keeps its id.
    expect([...pagePathsOf(['Notes.md', 'Notes 86646ad0cf5b4c77b3758e727707a84a.md']).values()]).toEqual(['Notes', 'Notes 86646ad0cf5b4c77b3758e727707a84a']);
  });

  it('leaves out a file no page path may have (the import says why)', () => {
    expect(pagePathsOf(['-/x.md', 'ok.md'])).toEqual(new Map([['ok.md', 'ok']]));
  });
});

describe('links between imported pages', () => {
  const paths = pagePathsOf([`${START}.md`, `${START}/Example sub page 4e3c9cede4924e10a3d9f78317eeb7ef.md`, 'a|b.md', 'docs/index.md', 'docs/setup.md']);
  const link = (markdown: string, from = `${START}.md`) => linkPages(markdown, from, paths, 'notion');

  it('makes a relative link to a page file a wiki link to its page', () => {
    expect(link(`[Example sub page](Get%20Started%20723c6ce1473e40b9beebe9f3711c0ca3/Example%20sub%20page%204e3c9cede4924e10a3d9f78317eeb7ef.md)`))
      .toBe('[[Get Started/Example sub page|Example sub page]]');
    expect(link('See [setup](../docs/setup.md#install).', `${START}/Example sub page 4e3c9cede4924e10a3d9f78317eeb7ef.md`)).toBe('See [[docs/setup#install|setup]].');
    expect(link('[](docs/setup.md)')).toBe('[[docs/setup]]');
  });

  it('escapes the label\'s bar in a table row, where a bare one would end the cell', () => {
    expect(link('| Page | Note |\n| --- | --- |\n| [setup](docs/setup.md) | [x](docs/setup.md) |')).toBe('| Page | Note |\n| --- | --- |\n| [[docs/setup\\|setup]] | [[docs/setup\\|x]] |');
    expect(link('Not a table: [setup](docs/setup.md) | more')).toBe('Not a table: [[docs/setup|setup]] | more');
    expect(scanWikiLinks('| [[docs/setup\\|setup]] |').map((w) => [w.title, w.label])).toEqual([['docs/setup', 'setup']]);
  });

  it("makes a link by a page's address from the folder's root (Wiki.js) a wiki link too", () => {
    expect(link('[Setup](/docs/setup)')).toBe('[[docs/setup|Setup]]');
    expect(link('[Docs](/docs#top)')).toBe('[[docs#top|Docs]]');
    expect(link('[abs](/docs/setup.md)')).toBe('[[docs/setup|abs]]');
  });

  it("links the pages past the cap on a page's wiki links by their address (a table of contents)", () => {
    const many = Array.from({ length: MAX_WIKI_LINKS + 2 }, (_, i) => `p${i}.md`);
    const toc = [...many, 'p0.md'].map((f) => `[${f}](${f})`).join('\n');
    const out = linkPages(`[[Elsewhere]]\n${toc}`, 'toc.md', pagePathsOf(many), 'docs').split('\n');
    expect(new Set(out.filter((l) => l.startsWith('[['))).size).toBe(MAX_WIKI_LINKS); // [[Elsewhere]] and p0…p998
    expect(out[MAX_WIKI_LINKS]).toBe(`[p${MAX_WIKI_LINKS - 1}.md](/s/docs/p${MAX_WIKI_LINKS - 1})`);
    expect(out.at(-2)).toBe(`[p${MAX_WIKI_LINKS + 1}.md](/s/docs/p${MAX_WIKI_LINKS + 1})`);
    expect(out.at(-1)).toBe('[[p0|p0.md]]'); // a page already linked stays a wiki link
  });

  it('finds a page linked without ".md", and from the root of a docs site per language', () => {
    const site = pagePathsOf(['en/guide/intro.md', 'en/guide/sfc.md', 'en/api/index.md', 'zh/guide/sfc.md']);
    const from = (md: string, rel: string) => linkPages(md, rel, site, 'vue');
    expect(from('[SFC](./sfc)', 'en/guide/intro.md')).toBe('[[en/guide/sfc|SFC]]');
    expect(from('[SFC](/guide/sfc#setup)', 'en/guide/intro.md')).toBe('[[en/guide/sfc#setup|SFC]]');
    expect(from('[API](/api/)', 'en/guide/intro.md')).toBe('[[en/api|API]]');
    expect(from('[单文件组件](/guide/sfc)', 'zh/guide/sfc.md')).toBe('[[zh/guide/sfc|单文件组件]]');
  });

  it('leaves links in code as written: an example of a link is not a link', () => {
    const site = pagePathsOf(['en/guide/intro.md', 'en/guide/sfc.md']);
    const from = (md: string) => linkPages(md, 'en/guide/intro.md', site, 'vue');
    const fenced = '```md\nSee [SFC](./sfc.md).\n```';
    expect(from(`${fenced}\n[SFC](./sfc.md)`)).toBe(`${fenced}\n[[en/guide/sfc|SFC]]`);
    expect(from('~~~~\n[SFC](./sfc.md)\n~~~\nstill code [SFC](./sfc.md)')).toBe('~~~~\n[SFC](./sfc.md)\n~~~\nstill code [SFC](./sfc.md)');
    expect(from('Write `[SFC](./sfc.md)` or ``a ` [SFC](./sfc.md)``, then [SFC](./sfc.md).')).toBe('Write `[SFC](./sfc.md)` or ``a ` [SFC](./sfc.md)``, then [[en/guide/sfc|SFC]].');
    // A link whose text is code is a link; a lone backtick opens no code.
    expect(from('[`sfc`](./sfc.md) and a ` here: [SFC](./sfc.md)')).toBe('[[en/guide/sfc|`sfc`]] and a ` here: [[en/guide/sfc|SFC]]');
    // A code span ends at a blank line.
    expect(from('a `b\n\n[SFC](./sfc.md) c`')).toBe('a `b\n\n[[en/guide/sfc|SFC]] c`');
  });

  it("points at the page's address when a wiki link cannot hold the target or the text", () => {
    expect(link('[pipe](a%7Cb.md)')).toBe('[pipe](/s/notion/a%7Cb)');
    expect(link('[setup](docs/setup.md "How to")')).toBe('[setup](/s/notion/docs/setup "How to")');
    expect(linkPages('[Home](../index.md)', 'docs/setup.md', pagePathsOf(['index.md', 'docs/setup.md']), 'notion')).toBe('[Home](/s/notion)');
  });

  it("gives an image whose text is its own path (Notion's) its file name as text", () => {
    expect(link('![Get%20Started/plus%20menu.gif](Get%20Started/plus%20menu.gif)')).toBe('![plus menu.gif](Get%20Started/plus%20menu.gif)');
    expect(link('![a/plus%5B1%5D.gif](a/plus%5B1%5D.gif)')).toBe('![plus\\[1\\].gif](a/plus%5B1%5D.gif)');
    expect(link('![A diagram](Get%20Started/plus-menu.gif)')).toBe('![A diagram](Get%20Started/plus-menu.gif)');
  });

  it('leaves images, absolute links, missing pages and other files as written', () => {
    for (const md of ['![shot](docs/setup.md)', '[web](https://example.com/a.md)', '[net](//example.com/docs/setup)', '[search](/search)', '[gone](nowhere.md)', '[csv](data.csv)', '[bad](%E0%A4%A.md)', '[out](../../etc/setup.md)']) {
      expect(link(md)).toBe(md);
    }
  });
});

describe("Wiki.js's image sizes", () => {
  it('are dropped, so that the image is one', () => {
    expect(withoutImageSizes('![Bold](/assets/ui/bold.png =x30) and ![A](a.png =100x50) ![B](b.png =100%x)'))
      .toBe('![Bold](/assets/ui/bold.png) and ![A](a.png) ![B](b.png)');
    for (const md of ['![A](a.png "=x30")', '[A](a.png =x30)', '![A](a.png =wide)', 'x =x30)']) expect(withoutImageSizes(md)).toBe(md);
  });
});
