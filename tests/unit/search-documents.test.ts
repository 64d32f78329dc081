// The text a page is searched by (src/server/search/documents.ts).
import { describe, expect, it } from 'vitest';
import { searchableText } from '../../src/server/search/documents.ts';

describe('searchableText', () => {
  it('joins a word whose option letters are marked in brackets, as command references write them', () => {
    expect(searchableText('E[x]tract a (compressed) archive')).toBe('Extract a (compressed) archive');
    expect(searchableText('[c]reate an archive, [l]i[s]t it, [V]ersion')).toBe('create an archive, list it, Version');
  });
  it('keeps other brackets: a task box, an index, a wiki link, a number, longer words', () => {
    for (const text of ['- [x] done', 'arr[i] = 1', 'see [[Page]] and [[ab]]', 'a[1]b', 'x[abcd]y', '[note] text']) expect(searchableText(text)).toBe(text);
  });
});
