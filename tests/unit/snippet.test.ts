import { describe, expect, it } from 'vitest';
import { makeSnippet, queryTerms } from '../../src/server/search/snippet.ts';

describe('search snippets', () => {
  it('splits queries into terms, longest first, with pieces of long Chinese words', () => {
    expect(queryTerms('Git  commit')).toEqual(['commit', 'git']);
    expect(queryTerms('病假证明')).toEqual(['病假证明', '病假', '假证', '证明']);
    expect(queryTerms('，。！')).toEqual([]);
  });

  it('cuts a window around the first match and marks every term, case-insensitively', () => {
    const text = `${'lorem ipsum '.repeat(30)}Download WireGuard, then open wireguard settings. ${'tail '.repeat(80)}`;
    const s = makeSnippet(text, queryTerms('wireguard'));
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>WireGuard</mark>');
    expect(s).toContain('<mark>wireguard</mark>');
    expect(s.length).toBeLessThan(300);
  });

  it('marks Chinese terms inside sentences', () => {
    expect(makeSnippet('员工请假需要提前三天提交申请，病假需要提供医院证明。', queryTerms('病假证明')))
      .toBe('员工请假需要提前三天提交申请，<mark>病假</mark>需要提供医院<mark>证明</mark>。');
  });

  it('escapes the page text, including around and inside marks', () => {
    const s = makeSnippet('Use <script>alert(1)</script> & <em>x</em> carefully', queryTerms('script'));
    expect(s).toBe('Use &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; &lt;em&gt;x&lt;/em&gt; carefully');
  });

  it('falls back to the start of the text when nothing matches literally', () => {
    expect(makeSnippet('Short text.', queryTerms('wiregaurd'))).toBe('Short text.');
  });
});
