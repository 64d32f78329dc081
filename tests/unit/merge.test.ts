import { describe, expect, it } from 'vitest';
import { mergedText, mergeMarkdown, mergeTags, mergeValue } from '../../src/server/pages/merge.ts';

const base = '# 周报\n\n本周完成了登录页面。\n\n下周计划：支付接口。\n\n风险：无。';

describe('three-way merge of page text', () => {
  it('merges changes to different paragraphs, Chinese included', () => {
    const ours = base.replace('登录页面', '登录页面和注册页面');
    const theirs = base.replace('风险：无。', '风险：第三方接口延期。');
    const merged = mergeMarkdown(base, ours, theirs);
    expect(merged.clean).toBe(true);
    expect(mergedText(merged.blocks)).toBe('# 周报\n\n本周完成了登录页面和注册页面。\n\n下周计划：支付接口。\n\n风险：第三方接口延期。');
  });

  it('takes an identical change on both sides once', () => {
    const both = base.replace('支付接口', '退款接口');
    expect(mergeMarkdown(base, both, both)).toMatchObject({ clean: true });
    expect(mergedText(mergeMarkdown(base, both, both).blocks)).toBe(both);
  });

  it('reports changes to the same line as a conflict block with base, ours and theirs', () => {
    const ours = base.replace('支付接口', '退款接口');
    const theirs = base.replace('支付接口', '对账接口');
    const merged = mergeMarkdown(base, ours, theirs);
    expect(merged.clean).toBe(false);
    const conflicts = merged.blocks.filter((b) => b.kind === 'conflict');
    expect(conflicts).toEqual([{ kind: 'conflict', base: ['下周计划：支付接口。'], ours: ['下周计划：退款接口。'], theirs: ['下周计划：对账接口。'] }]);
    // Resolving starts from our side of each conflict, everything else merged.
    expect(mergedText(merged.blocks)).toBe(ours);
    expect(mergedText(merged.blocks, 'theirs')).toBe(theirs);
  });

  it('merges titles and tags as values and sets', () => {
    expect(mergeValue('Plan', 'Plan', 'Plan v2')).toBe('Plan v2');
    expect(mergeValue('Plan', '计划', 'Plan')).toBe('计划');
    expect(mergeValue('Plan', 'Same', 'Same')).toBe('Same');
    expect(mergeValue('Plan', 'Mine', 'Theirs')).toBeUndefined();
    expect(mergeTags(['a', 'b'], ['a', 'c'], ['a', 'b', 'd'])).toEqual(['a', 'd', 'c']);
  });
});
