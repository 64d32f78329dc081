import { diff3Merge } from 'node-diff3';
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

  it('agrees with node-diff3 (the reference diff3) on thousands of random small edits', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const mutate = (lines: string[]) => {
      const out = [...lines];
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        const i = Math.floor(rnd() * (out.length + 1));
        const op = pick(['insert', 'delete', 'change']);
        if (op === 'insert') out.splice(i, 0, pick(['x', 'y', '', '新']));
        else if (i < out.length) op === 'delete' ? out.splice(i, 1) : (out[i] += '改');
      }
      return out;
    };
    let conflicts = 0;
    for (let n = 0; n < 3000; n++) {
      // Few distinct lines (blank ones included), so alignments are often ambiguous.
      const o = Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => pick(['a', 'b', '', '段']));
      const [a, b] = [mutate(o), mutate(o)];
      const reference = diff3Merge(a, o, b);
      const ours = mergeMarkdown(o.join('\n'), a.join('\n'), b.join('\n'));
      expect(ours.clean).toBe(reference.every((r) => r.ok));
      if (ours.clean) expect(mergedText(ours.blocks)).toBe(reference.flatMap((r) => r.ok!).join('\n'));
      else conflicts++;
    }
    expect(conflicts).toBeGreaterThan(300); // both outcomes were exercised
  });

  it('merges a 20,000-line page (blank lines between paragraphs) in well under a second', () => {
    const o = Array.from({ length: 20_000 }, (_, i) => (i % 2 ? '' : `第 ${i} 段：一段普通的文字。`));
    const [a, b] = [[...o], [...o]];
    a[10] = '开头的修改';
    b[19_990] = '结尾的修改';
    const started = performance.now();
    const merged = mergeMarkdown(o.join('\n'), a.join('\n'), b.join('\n'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(merged.clean).toBe(true);
    expect(mergedText(merged.blocks).split('\n').filter((l) => l.endsWith('的修改'))).toEqual(['开头的修改', '结尾的修改']);
  });

  it('treats a side rewritten beyond the edit bound as one change: merged if the other side did nothing, else one conflict', () => {
    const o = Array.from({ length: 12_000 }, (_, i) => `line ${i}`);
    const rewritten = o.map((l) => `${l} rewritten`);
    const started = performance.now();
    expect(mergedText(mergeMarkdown(o.join('\n'), rewritten.join('\n'), o.join('\n')).blocks)).toBe(rewritten.join('\n'));
    const theirs = [...o];
    theirs[5] = 'theirs';
    const clash = mergeMarkdown(o.join('\n'), rewritten.join('\n'), theirs.join('\n'));
    expect(clash.blocks.map((b) => b.kind)).toEqual(['conflict']);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
