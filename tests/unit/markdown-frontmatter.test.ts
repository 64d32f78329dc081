import { describe, it, expect } from 'vitest';
import { deriveTags, deriveTitle, splitFrontmatter } from '../../src/server/markdown/frontmatter.ts';

describe('splitFrontmatter', () => {
  it('parses a leading YAML block and returns the rest as the body', () => {
    const r = splitFrontmatter('---\ntitle: Hello\ntags: [a, b]\n---\n# Body\n');
    expect(r.data).toEqual({ title: 'Hello', tags: ['a', 'b'] });
    expect(r.body).toBe('# Body\n');
  });

  it('strips a BOM and normalizes CRLF and CR', () => {
    const r = splitFrontmatter('\uFEFF---\r\ntitle: Win\r\n---\r\nline 1\r\nline 2\rline 3');
    expect(r.data).toEqual({ title: 'Win' });
    expect(r.body).toBe('line 1\nline 2\nline 3');
    expect(splitFrontmatter('\uFEFFno front matter\r\n').body).toBe('no front matter\n');
  });

  it('leaves documents without a leading block alone', () => {
    expect(splitFrontmatter('text\n---\nx: 1\n---\n')).toEqual({ data: {}, body: 'text\n---\nx: 1\n---\n' });
    expect(splitFrontmatter(' ---\nx: 1\n---\n').data).toEqual({});
    expect(splitFrontmatter('---\nnever closed: 1\n')).toEqual({ data: {}, body: '---\nnever closed: 1\n' });
  });

  it('accepts an empty block, a `...` terminator and a block at the end of the file', () => {
    expect(splitFrontmatter('---\n---\nbody')).toEqual({ data: {}, body: 'body' });
    expect(splitFrontmatter('---\na: 1\n...\nbody')).toEqual({ data: { a: 1 }, body: 'body' });
    expect(splitFrontmatter('---\na: 1\n---')).toEqual({ data: { a: 1 }, body: '' });
  });

  it('gives {} for YAML that is not a mapping or does not parse, without throwing', () => {
    expect(splitFrontmatter('---\n- a\n- b\n---\nx').data).toEqual({});
    expect(splitFrontmatter('---\njust a string\n---\nx').data).toEqual({});
    expect(splitFrontmatter('---\na: b: c\n---\nx')).toEqual({ data: {}, body: 'x' });
    expect(splitFrontmatter('---\n' + '['.repeat(10_000) + '\n---\nx').data).toEqual({});
  });

  it('survives a billion-laughs alias bomb quickly', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`),
    ].join('\n');
    const t = performance.now();
    const r = splitFrontmatter('---\n' + bomb + '\n---\n# Still here');
    expect(performance.now() - t).toBeLessThan(1000);
    expect(r).toEqual({ data: {}, body: '# Still here' });
  });

  it('keeps __proto__ as a plain key without polluting prototypes', () => {
    const r = splitFrontmatter('---\n__proto__: {polluted: true}\nconstructor: x\n---\n');
    expect(Object.getPrototypeOf(r.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(r.data)).toEqual(['__proto__', 'constructor']);
  });

  it('lets a repeated key win instead of discarding the block', () => {
    expect(splitFrontmatter('---\ntitle: a\ntitle: b\n---\n').data).toEqual({ title: 'b' });
  });
});

describe('deriveTitle', () => {
  it('prefers a frontmatter title, trimmed', () => {
    expect(deriveTitle({ title: '  From YAML ' }, '# Heading', 'file.md')).toBe('From YAML');
  });

  it('falls back to the first ATX h1 when the title is missing, blank or not a string', () => {
    expect(deriveTitle({}, 'intro\n\n## Not this\n\n# The Title\n\n# Later', 'f.md')).toBe('The Title');
    expect(deriveTitle({ title: '   ' }, '# Heading', 'f.md')).toBe('Heading');
    expect(deriveTitle({ title: 42 }, '# Heading', 'f.md')).toBe('Heading');
  });

  it('strips closing hashes and VitePress {#anchor} suffixes', () => {
    expect(deriveTitle({}, '# Closed ##', 'f.md')).toBe('Closed');
    expect(deriveTitle({}, '# Getting Started {#getting-started}', 'f.md')).toBe('Getting Started');
    expect(deriveTitle({}, '# 快速上手 {#quick-start}  ', 'f.md')).toBe('快速上手');
    expect(deriveTitle({}, '# C# in depth', 'f.md')).toBe('C# in depth');
    expect(deriveTitle({}, '   # Indented up to three', 'f.md')).toBe('Indented up to three');
  });

  it('ignores headings inside fenced code and non-headings', () => {
    const body = '```bash\n# a comment\n```\n\n#hashtag\n\n    # indented code\n\n# Real';
    expect(deriveTitle({}, body, 'f.md')).toBe('Real');
  });

  it('falls back to the file name without .md', () => {
    expect(deriveTitle({}, 'no heading', 'getting-started.md')).toBe('getting-started');
    expect(deriveTitle({}, '#', 'dir/Notes.MD')).toBe('Notes');
    expect(deriveTitle({}, '', 'README')).toBe('README');
  });
});

describe('deriveTags', () => {
  it('accepts a list or a comma-separated string', () => {
    expect(deriveTags({ tags: ['a', ' b ', 'a', '', 3] })).toEqual(['a', 'b', '3']);
    expect(deriveTags({ tags: 'x, y ,x,,z' })).toEqual(['x', 'y', 'z']);
  });

  it('ignores other shapes, over-long tags and keeps at most 50', () => {
    expect(deriveTags({})).toEqual([]);
    expect(deriveTags({ tags: { a: 1 } })).toEqual([]);
    expect(deriveTags({ tags: [{ a: 1 }, null, 'ok'] })).toEqual(['ok']);
    expect(deriveTags({ tags: ['x'.repeat(65), 'y'.repeat(64)] })).toEqual(['y'.repeat(64)]);
    const many = Array.from({ length: 80 }, (_, i) => 't' + i);
    expect(deriveTags({ tags: many })).toEqual(many.slice(0, 50));
  });
});
