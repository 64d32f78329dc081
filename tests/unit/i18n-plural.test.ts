// English counts say "1 result", "2 results"; Chinese strings have no plural to choose.
import { describe, expect, it } from 'vitest';
import { fillMessage } from '../../src/i18n/fill.ts';
import { formatDate, translator } from '../../src/i18n/index.ts';

describe('plurals in messages', () => {
  const en = translator('en');
  it('picks the singular for one and the plural otherwise', () => {
    expect(en('diff.stats', { added: 1, removed: 1 })).toBe('1 line added, 1 removed');
    expect(en('diff.stats', { added: 2, removed: 0 })).toBe('2 lines added, 0 removed');
    expect(en('search.results', { n: 1, q: 'vpn' })).toBe('1 result for “vpn”');
    expect(en('search.results', { n: 0, q: 'vpn' })).toBe('0 results for “vpn”');
    expect(en('home.pages', { n: 1 })).toBe('1 page');
    expect(en('tracker.list.count', { n: 1 })).toBe('1 requirement');
    expect(en('login.throttledSeconds', { n: 1 })).toContain('Try again in 1 second.');
  });

  it('chooses alike when a browser script fills a message from a server answer', () => {
    const words = en('spaces.importDone');
    expect(fillMessage(words, { pages: 1, space: 'notes' })).toBe('Imported 1 page into the new space “notes”.');
    expect(fillMessage(words, { pages: 2144, space: 'notes' })).toBe('Imported 2,144 pages into the new space “notes”.');
  });

  it('leaves Chinese as written', () => {
    expect(translator('zh-CN')('diff.stats', { added: 1, removed: 2 })).toBe('新增 1 行，删除 2 行');
  });
});

describe('dates', () => {
  it('shows a day given without a time (stored at midnight UTC) as that day, anything else with its time', () => {
    const imported = Date.UTC(2026, 2, 2);
    expect(formatDate('en', imported)).toBe('Mar 2, 2026');
    expect(formatDate('zh-CN', imported)).toBe('2026年3月2日');
    expect(formatDate('en', imported + 1)).toMatch(/^Mar [12], 2026, \d{1,2}:\d\d/);
  });
});
