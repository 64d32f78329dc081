import { describe, expect, it } from 'vitest';
import { treeHtml } from '../../src/components/tree-html.ts';

describe('sidebar tree HTML', () => {
  it('escapes titles and names and encodes hrefs', () => {
    const html = String(treeHtml([
      { name: '<b>', path: '<b>', title: null, childCount: 2, children: null },
      { name: 'x', path: 'a/"x"', title: '<img src=x onerror=alert(1)>', childCount: 0, children: [] },
    ], 'it', 'a/"x"'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('href="/s/it/%3Cb%3E"');
    expect(html).toContain('href="/s/it/a/%22x%22" aria-current="page"');
    expect(html).toContain('<span class="count" aria-hidden="true">2</span>');
  });
});
