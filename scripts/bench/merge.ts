// What merging a stale save costs: the three-way merge of page text (src/server/pages/merge.ts)
// on pages of growing length with blank lines between paragraphs, one edit near each end, beside
// node-diff3's diff3Merge on the same input (only where it finishes in reasonable time).
//   node scripts/bench/merge.ts
import { diff3Merge } from 'node-diff3';
import { mergeMarkdown } from '../../src/server/pages/merge.ts';

const page = (lines: number) => Array.from({ length: lines }, (_, i) => (i % 2 ? '' : `第 ${i} 段：一段普通的项目说明文字 with some English.`));
const ms = (fn: () => unknown) => { const t = performance.now(); fn(); return performance.now() - t; };

console.log('lines   bytes      merge.ts   node-diff3');
for (const lines of [500, 1000, 2000, 20_000, 60_000]) {
  const o = page(lines);
  const [a, b] = [[...o], [...o]];
  a[10] = 'edit near the start';
  b[lines - 10] = 'edit near the end';
  const text = [o, a, b].map((x) => x.join('\n'));
  const ours = Math.min(...[1, 2, 3].map(() => ms(() => mergeMarkdown(text[0]!, text[1]!, text[2]!))));
  const reference = lines <= 2000 ? `${ms(() => diff3Merge(a, o, b)).toFixed(0)} ms` : '(skipped: > 40 s at 4,000 lines)';
  console.log(`${String(lines).padEnd(7)} ${String(Buffer.byteLength(text[0]!)).padEnd(10)} ${ours.toFixed(1).padStart(6)} ms  ${reference}`);
}
const o = Array.from({ length: 12_000 }, (_, i) => `line ${i}`);
const rewritten = o.map((l) => `${l} rewritten`);
const theirs = [...o];
theirs[5] = 'theirs';
console.log(`12,000-line page rewritten against a one-line edit (edit bound reached → one conflict): ${ms(() => mergeMarkdown(o.join('\n'), rewritten.join('\n'), theirs.join('\n'))).toFixed(0)} ms`);
