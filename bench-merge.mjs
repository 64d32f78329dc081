import { diff3Merge, LCS } from 'node-diff3';
const n = Number(process.argv[2]);
const o = Array.from({ length: n }, (_, i) => (i % 2 ? '' : `Paragraph ${i} with some words in it 第 ${i} 段`));
const a = [...o]; a[10] = 'changed by A';
const b = [...o]; b[n - 10] = 'changed by B';
let s = performance.now(); LCS(o, a); process.stderr.write(`LCS ${n}: ${(performance.now() - s).toFixed(0)} ms\n`);
s = performance.now(); diff3Merge(a, o, b); process.stderr.write(`merge ${n}: ${(performance.now() - s).toFixed(0)} ms\n`);
