import { describe, expect, it } from 'vitest';
import { highlighter, queryTerms } from '../../src/server/search/snippet.ts';

describe('search snippets', () => {
  it('splits queries into terms, longest first, with the words of longer Chinese ones', () => {
    expect(queryTerms('Git  commit')).toEqual(['commit', 'git']);
    expect(queryTerms('病假证明')).toEqual(['病假证明', '病假', '证明']);
    expect(queryTerms('怎么配置VPN')).toEqual(['怎么配置vpn', 'vpn', '配置']); // no 怎么: a question word
    expect(queryTerms('新员工入职要做什么')).not.toContain('入职'); // cut apart by jieba alone
    expect(queryTerms('新员工入职要做什么', ['入职', '新员工'])).toEqual(['新员工入职要做什么', '新员工', '入职']);
    expect(queryTerms('，。！')).toEqual([]);
    // Not "How", "I" (every i in every word) or "the", whatever their case.
    expect(queryTerms('How do I reset The password')).toEqual(['password', 'reset']);
  });

  it('cuts a window around the first match and marks every term, case-insensitively', () => {
    const text = `${'lorem ipsum '.repeat(30)}Download WireGuard, then open wireguard settings. ${'tail '.repeat(80)}`;
    const s = highlighter(queryTerms('wireguard')).snippet(text);
    expect(s.startsWith('…')).toBe(true);
    expect(s.endsWith('…')).toBe(true);
    expect(s).toContain('<mark>WireGuard</mark>');
    expect(s).toContain('<mark>wireguard</mark>');
    expect(s.length).toBeLessThan(300);
  });

  it('marks Chinese terms inside sentences', () => {
    expect(highlighter(queryTerms('病假证明')).snippet('员工请假需要提前三天提交申请，病假需要提供医院证明。'))
      .toBe('员工请假需要提前三天提交申请，<mark>病假</mark>需要提供医院<mark>证明</mark>。');
  });

  it('escapes the page text, including around and inside marks', () => {
    const s = highlighter(queryTerms('script')).snippet('Use <script>alert(1)</script> & <em>x</em> carefully');
    expect(s).toBe('Use &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; &amp; &lt;em&gt;x&lt;/em&gt; carefully');
  });

  it('flattens whitespace and finds the match deep in a long text', () => {
    const text = `${'word\n\n  '.repeat(5000)}the  needle\r\n is here ${'after '.repeat(100)}`;
    const s = highlighter(queryTerms('needle')).snippet(text);
    expect(s).toMatch(/^…(word )+the <mark>needle<\/mark> is here (after )+[a-z]*…$/);
    expect(s.length).toBeLessThan(260);
  });

  it('has no marks and no ellipsis for a short text without terms', () => {
    expect(highlighter([]).snippet('  A short\n text. ')).toBe('A short text.');
  });

  it('marks every term of a title, escaping the rest', () => {
    expect(highlighter(queryTerms('vpn 连接')).mark('<VPN> 连接失败 & vpn')).toBe('&lt;<mark>VPN</mark>&gt; <mark>连接</mark>失败 &amp; <mark>vpn</mark>');
    expect(highlighter([]).mark('<b>')).toBe('&lt;b&gt;');
    // A term holding a character HTML escapes (a synonym can) is marked whole; the rest still escaped.
    expect(highlighter(['r&d']).mark('R&D <budget> & "r&d"')).toBe('<mark>R&amp;D</mark> &lt;budget&gt; &amp; &quot;<mark>r&amp;d</mark>&quot;');
  });

  it('flattens every run of white space to one space, single spaces kept', () => {
    expect(highlighter(queryTerms('needle')).snippet('a\tb  c\u00a0d\n\ne \u3000 the needle f')).toBe('a b c d e the <mark>needle</mark> f');
  });

  it('falls back to the start of the text when nothing matches literally', () => {
    expect(highlighter(queryTerms('wiregaurd')).snippet('Short text.')).toBe('Short text.');
  });
});
