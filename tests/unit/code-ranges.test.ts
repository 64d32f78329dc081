// Where Markdown holds code, for rewrites by pattern at import (markdown/code-ranges.ts).
import { describe, expect, it } from 'vitest';
import { codeRanges, inCode } from '../../src/server/markdown/code-ranges.ts';

const code = (md: string) => codeRanges(md).map(([start, end]) => md.slice(start, end));

describe('code ranges', () => {
  it('finds fenced blocks (an unclosed one runs to the end) and code spans of equal runs', () => {
    expect(code('a `b` c\n\n```js\nx\n```\n\n~~~~\n~~~\nstill\n````\nnot ``a`` ```b```')).toEqual(['`b`', '```js\nx\n```', '~~~~\n~~~\nstill\n````\nnot ``a`` ```b```']);
    expect(code('`` a ` b `` and `c')).toEqual(['`` a ` b ``']);
    expect(code('`a\n\nb`')).toEqual([]);
  });

  it('answers inCode at the edges', () => {
    const md = 'x `y` z';
    const ranges = codeRanges(md);
    expect([1, 2, 4, 5].map((at) => inCode(ranges, at))).toEqual([false, true, true, false]);
  });

  it('gives up on runs nothing closes after 1,000 characters: hostile backticks stay linear', () => {
    let md = '';
    for (let k = 1; k <= 1500; k++) md += `${'`'.repeat(k)} x `;
    const started = performance.now();
    expect(codeRanges(md)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000); // 8.6 s without the bound
  });
});
