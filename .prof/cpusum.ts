import fs from 'node:fs';
const p = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8'));
const dt = new Map<number, number>();
for (let i = 0; i < p.samples.length; i++) dt.set(p.samples[i], (dt.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
const byId = new Map(p.nodes.map((n: any) => [n.id, n]));
const total = [...dt.values()].reduce((a, b) => a + b, 0);
const bucket = (url: string) => { const m = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url); if (m) return m[1]; if (url.includes('/dist/server/')) return 'dist:' + url.split('/dist/server/')[1]!.split(/[?]/)[0]; if (url.includes('/src/')) return 'src:' + url.split('/src/')[1]; return url.startsWith('node:') ? url : url || '(native/vm)'; };
const agg = new Map<string, number>(); const fn = new Map<string, number>();
for (const [id, t] of dt) { const n: any = byId.get(id); const cf = n.callFrame; agg.set(bucket(cf.url), (agg.get(bucket(cf.url)) ?? 0) + t); const k = `${cf.functionName || '(anon)'} ${bucket(cf.url)}:${cf.lineNumber}`; fn.set(k, (fn.get(k) ?? 0) + t); }
const idle = [...dt].filter(([id]) => (byId.get(id) as any).callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
console.log('total ms', (total / 1000).toFixed(0), 'busy ms', ((total - idle) / 1000).toFixed(0));
for (const [k, t] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((t / 1000).toFixed(0).padStart(7), k);
console.log('--- functions');
for (const [k, t] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((t / 1000).toFixed(0).padStart(7), k);
