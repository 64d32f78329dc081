import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../src/server/line-diff.ts';
import { compareLines, wordDiff } from '../../src/server/word-diff.ts';

const changed = (segments: { text: string; changed: boolean }[] | undefined) => segments?.filter((s) => s.changed).map((s) => s.text);

// A long Chinese paragraph (no spaces) where one word changes: only that word is marked.
const paragraph = (word: string) => '为了让新同事在入职第一周就能顺利开展工作，信息技术部门会提前准备好笔记本电脑、门禁卡和各类系统账号，'
  + `并安排一位经验丰富的同事作为导师，帮助新人熟悉公司的${word}流程、代码仓库和发布规范；如果遇到任何问题，可以随时在内部论坛提问，`
  + '也可以直接联系服务台，我们承诺在两个工作小时内给出答复，并在每个季度根据大家的反馈持续改进这份入职指南。';

describe('word-level diffs', () => {
  it('marks only the changed word in a long Chinese paragraph', () => {
    const before = paragraph('报销');
    const after = paragraph('审批');
    expect(before.length).toBeGreaterThan(150);
    const words = wordDiff(before, after)!;
    expect(changed(words.before)).toEqual(['报销']);
    expect(changed(words.after)).toEqual(['审批']);
    expect(words.after.map((s) => s.text).join('')).toBe(after);
    expect(words.before.map((s) => s.text).join('')).toBe(before);
  });

  it('marks changed words in English and mixed lines', () => {
    const words = wordDiff('Rotate the guest Wi-Fi password every month.', 'Rotate the guest Wi-Fi password every week.')!;
    expect(changed(words.before)).toEqual(['month']);
    expect(changed(words.after)).toEqual(['week']);
    const mixed = wordDiff('VPN 使用 WireGuard 客户端连接', 'VPN 使用 OpenVPN 客户端连接')!;
    expect(changed(mixed.after)).toEqual(['OpenVPN']);
  });

  it('treats lines that share too little as different lines, not one edited line', () => {
    expect(wordDiff('完全不同的一句话', 'Something else entirely here')).toBeNull();
  });

  it('gives a page diff the changed words of each replaced line', () => {
    const diff = lineDiff(`# 入职指南\n\n${paragraph('报销')}\n\n结尾\n`, `# 入职指南\n\n${paragraph('审批')}\n\n结尾\n`);
    const lines = diff.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'same');
    expect(lines.map((l) => l.kind)).toEqual(['del', 'add']);
    expect(changed(lines[0]!.segments)).toEqual(['报销']);
    expect(changed(lines[1]!.segments)).toEqual(['审批']);
  });

  it('compares two blocks line by line: shared lines unmarked, edited lines with their words, new lines whole', () => {
    const { a, b } = compareLines(['共同的一行', '会议在周一举行', '只有我有'], ['共同的一行', '会议在周三举行']);
    expect(a.map((l) => l.changed)).toEqual([false, true, true]);
    expect(b.map((l) => l.changed)).toEqual([false, true]);
    expect(changed(a[1]!.segments)).toEqual(['周一']);
    expect(changed(b[1]!.segments)).toEqual(['周三']);
    expect(a[2]!.segments).toBeUndefined();
  });

  it('shows a huge rewrite as changed lines without word marks, quickly', () => {
    const a = Array.from({ length: 12_000 }, (_, i) => `第 ${i} 行`);
    const started = performance.now();
    const { a: left, b: right } = compareLines(a, a.map((l) => `${l}，改写`));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(left.every((l) => l.changed && !l.segments)).toBe(true);
    expect(right).toHaveLength(12_000);
  });
});
