import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8'));
const target = process.argv[3]!;
const parent = new Map<number, any>(); const byId = new Map<number, any>();
for (const n of p.nodes) { byId.set(n.id, n); for (const c of n.children ?? []) parent.set(c, n); }
const dt = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const stacks = new Map<string, number>();
for (const [id, t] of dt) { const n = byId.get(id); if (n.callFrame.functionName !== target) continue; const chain: string[] = []; let x = parent.get(id); for (let d = 0; x && d < 8; d++, x = parent.get(x.id)) chain.push(`${x.callFrame.functionName || '(anon)'}@${x.callFrame.url.split('/').slice(-2).join('/')}:${x.callFrame.lineNumber}`); const k = chain.join(' < '); stacks.set(k, (stacks.get(k) ?? 0) + t); }
for (const [k, t] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log((t / 1000).toFixed(0).padStart(6), k);
