// Ranking Chinese task descriptions: segmentation without filler words, coverage by word rarity,
// weighted fusion; and the Latin-script words of a mixed query put first.
import { describe, expect, it } from 'vitest';
import { meiliQuery } from '../../src/server/search/query.ts';
import { MAX_SEGMENTATION_WORDS, segmentationWords } from '../../src/server/search/synonyms.ts';
import { contentWords, coverageRanking, fuseRankings, segment, taskWords } from '../../src/server/search/task-query.ts';

describe('the query Meilisearch is asked', () => {
  it('puts the Latin-script words of a Chinese query first, in lower case like every query', () => {
    expect(meiliQuery('怎么配置VPN')).toBe('vpn 怎么配置');
    expect(meiliQuery('git 修改远程仓库 url')).toBe('git url 修改远程仓库');
    expect(meiliQuery('v-if 和 v-show 的区别')).toBe('v-if v-show 和 的区别');
    expect(meiliQuery('node.js 安装')).toBe('node.js 安装');
    expect(meiliQuery('重置密码')).toBe('重置密码');
    expect(meiliQuery('reset my password')).toBe('reset my password');
    // Meilisearch's stop words are case-sensitive: a capital would make "How" and "I" words to match.
    expect(meiliQuery('How do I reset my Password')).toBe('how do i reset my password');
  });
});

describe('task words', () => {
  it('segments like the index, without filler words or punctuation', () => {
    expect(contentWords('怎么查看一下日志？')).toEqual(['日志']);
    expect(taskWords('关掉终端后让程序继续在后台运行')).toEqual(expect.arrayContaining(['终端', '程序', '后台', '运行']));
    expect(taskWords('how do I set up the VPN guide')).toEqual(['set', 'up', 'vpn', 'guide']);
    expect(taskWords('how do I reset my password')).toBeNull();
    expect(taskWords('日志')).toBeNull();
  });

  it('keeps the synonyms\' Chinese words whole, as the index does with its dictionary', () => {
    expect(contentWords('新员工入职要做什么')).not.toContain('入职'); // jieba alone cuts it apart
    const words = contentWords('新员工入职要做什么', ['入职', '新员工', '员工']);
    expect(words.slice(0, 2)).toEqual(['新员工', '入职']); // the longest word where two start together
    expect(segment('远程办公规定和远程办公', ['远程办公'])).toEqual(['远程办公', '规定', '和', '远程办公']);
    expect(segment('入x职', ['入.职'])).toEqual(['入', 'x', '职']); // matched literally, not as patterns
  });

  it('keeps the Chinese words of two characters or more whole, the first 500 in the list\'s order', () => {
    expect(segmentationWords([['报销', 'reimbursement'], ['入职', '新员工', 'onboarding'], ['远程 办公', '机', 'remote work']])).toEqual(['报销', '入职', '新员工']);
    const many = Array.from({ length: 600 }, (_, i) => [`入职${String.fromCharCode(0x4e00 + i)}甲乙`, `w${i}`]);
    const kept = segmentationWords(many);
    expect(kept).toHaveLength(MAX_SEGMENTATION_WORDS);
    expect(kept[0]).toBe(many[0]![0]);
  });

  it('skips segmenting a query too short to hold three words, with the same answer as segmenting it', () => {
    const queries = ['git commit', 'tar extract', '慢查询', '用户权限', 'v-model', 'git-commit-push', 'ssh key-gen', 'C++ 指针', 'a.b.c d', 'UUID 做主键好不好', 'x'];
    for (const q of queries) {
      const words = contentWords(q);
      expect(taskWords(q), q).toEqual(words.length >= 3 ? words : null);
    }
  });
});

describe('coverage ranking', () => {
  const hit = (docKey: string, score: number, section = 0) => ({ docKey, section, _rankingScore: score });
  it('ranks a page holding several rare words above one holding a common word in its title', () => {
    const ranked = coverageRanking([
      { hits: [hit('common', 1), hit('b', 0.5)], estimatedTotalHits: 1000 }, // a common word
      { hits: [hit('a', 0.5)], estimatedTotalHits: 5 },
      { hits: [hit('a', 0.5, 3), hit('b', 0.5)], estimatedTotalHits: 20 },
    ], 20_000);
    expect(ranked.map((r) => r.docKey)).toEqual(['a', 'b', 'common']);
  });

  it('keeps the section where the rarest-weighted word was found', () => {
    const [a] = coverageRanking([
      { hits: [hit('a', 0.9, 0)], estimatedTotalHits: 900 },
      { hits: [hit('a', 0.5, 4)], estimatedTotalHits: 3 },
    ], 20_000);
    expect(a).toMatchObject({ docKey: 'a', section: 4 });
  });

  it('finds nothing in empty lists', () => {
    expect(coverageRanking([{ hits: [], estimatedTotalHits: 0 }], 100)).toEqual([]);
  });
});

describe('fusion', () => {
  it('lets the heavier ranking lead, and a page high in both win', () => {
    const [a, b, c]: { docKey: string; _rankingScore?: number }[] = [{ docKey: 'a' }, { docKey: 'b' }, { docKey: 'c' }];
    expect(fuseRankings([[a!, b!], [b!, a!]], [1, 0.3]).map((h) => h.docKey)).toEqual(['a', 'b']);
    expect(fuseRankings([[a!, b!, c!], [b!, c!]]).map((h) => h.docKey)).toEqual(['b', 'c', 'a']);
    // Scaled so that first in every ranking scores 1.
    expect(fuseRankings([[a!], [a!]], [1, 0.3])[0]!._rankingScore).toBeCloseTo(1);
  });
});
