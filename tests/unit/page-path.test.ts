import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/server/auth/safe-next.ts';
import { DomainError } from '../../src/server/errors.ts';
import { normalizePagePath, parentPath, slugify, titleKey, validateTags, validateTitle } from '../../src/server/pages/page-path.ts';
import { filterString } from '../../src/server/search/query.ts';
import { pickLang } from '../../src/i18n/index.ts';
import { isRefusedRawPath } from '../../src/server/raw-url-guard.ts';
import { en } from '../../src/i18n/en.ts';
import { zh } from '../../src/i18n/zh-CN.ts';

const rejects = (fn: () => unknown) => expect(fn).toThrow(DomainError);

describe('page paths', () => {
  it('keeps odd but legal names exactly', () => {
    for (const p of ['en/common/%', 'en/common/[[', 'osx/g[', 'a/{', 'q?', 'hash#', 'CON', 'aux', '文档/部署']) expect(normalizePagePath(p)).toBe(p);
    expect(normalizePagePath('/a/b/')).toBe('a/b');
    expect(normalizePagePath('')).toBe('');
  });
  it('rejects traversal, control characters, backslashes and overlong paths', () => {
    for (const p of ['..', 'a/../b', './a', 'a//b', '..\\x', '．．／etc', 'a\u0000b', 'a\nb', 'a\u0085b', ' a', '文'.repeat(171)]) rejects(() => normalizePagePath(p));
    expect(normalizePagePath('文'.repeat(170) + 'ab')).toHaveLength(172);
  });
  it('spots dot segments in raw request paths, encoded or not', () => {
    for (const bad of ['/s/it/../x', '/s/it/%2e%2e/x', '/s/it/%2E%2e', '/s/it/.%2E/x?q', '/a/./b', '/api/v1/pages/it/%2e', '/s/it/a%0d%0ab', '/s/it/a%00', '/s/it/%7F']) expect(isRefusedRawPath(bad)).toBe(true);
    for (const ok of ['/s/it/x', '/s/it/..x', '/s/it/x..', '/s/it/%2e%2ex', '/search?q=../..']) expect(isRefusedRawPath(ok)).toBe(false);
  });
  it('keeps "-" as a first segment for the space views (/s/<space>/-/freshness)', () => {
    for (const p of ['-', '-/freshness', '/-/x/']) rejects(() => normalizePagePath(p));
    for (const p of ['-a', 'a/-', 'a/-/b']) expect(normalizePagePath(p)).toBe(p);
  });
  it('composes NFD into NFC', () => {
    expect(normalizePagePath('cafe\u0301')).toBe('caf\u00e9');
  });
  it('finds parents', () => {
    expect(parentPath('a/b/c')).toBe('a/b');
    expect(parentPath('a')).toBe('');
    expect(parentPath('')).toBeNull();
  });
});

describe('titles, slugs and tags', () => {
  it('slugifies keeping CJK letters', () => {
    expect(slugify('Laptop Setup Guide')).toBe('laptop-setup-guide');
    expect(slugify('请假 流程（2026）')).toBe('请假-流程2026');
    expect(slugify('<script>')).toBe('script');
    expect(slugify('!!!')).toBe('page');
  });
  it('compares titles case- and width-insensitively', () => {
    expect(titleKey(' VPN Setup ')).toBe(titleKey('ｖｐｎ setup'));
  });
  it('validates titles and tags', () => {
    rejects(() => validateTitle('  '));
    rejects(() => validateTitle('a\r\nb'));
    rejects(() => validateTitle('x'.repeat(301)));
    expect(validateTitle(' \u202Eevil\u200B ')).toBe('\u202Eevil\u200B');
    expect(validateTags('a, b ,a,,')).toEqual(['a', 'b']);
    rejects(() => validateTags([1]));
    rejects(() => validateTags({}));
  });
});

describe('search helpers', () => {
  it('quotes filter values so they stay values', () => {
    expect(filterString('a" OR spaceId = 2 OR tags = "b')).toBe('"a\\" OR spaceId = 2 OR tags = \\"b"');
    expect(filterString('back\\slash')).toBe('"back\\\\slash"');
  });
});

describe('redirects and languages', () => {
  it('only follows local paths after sign-in', () => {
    expect(safeNext('/s/it/vpn?x=1')).toBe('/s/it/vpn?x=1');
    for (const bad of ['//evil.com', '/\\evil.com', 'https://evil.com', 'javascript:alert(1)', '/a\r\nSet-Cookie: x', null]) expect(safeNext(bad)).toBe('/');
  });
  it('picks the language from the cookie, then Accept-Language', () => {
    expect(pickLang('zh-CN', 'en')).toBe('zh-CN');
    expect(pickLang(undefined, 'zh-TW,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLang(undefined, 'fr-FR,en;q=0.5')).toBe('en');
    expect(pickLang('xx', null)).toBe('en');
  });
  it('has every English string in Chinese', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });
});
