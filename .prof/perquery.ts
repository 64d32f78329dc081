// Per-query latency at 10 clients through our API, to see what the tail is made of.
import path from 'node:path';
import { startEmbeddedMeili } from '../src/server/meili/process.ts';
import { benchSession, startBenchServer } from '../scripts/bench/bench-server.ts';
const dataDir = process.env.DATA!;
const meili = await startEmbeddedMeili(path.join(dataDir, 'meili'));
const { server, base } = await startBenchServer(dataDir, { ...(process.env.PROF ? { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/cpuprof' } : {}), MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey });
const { token } = await benchSession(base);
const QUERIES = ['git commit', 'docker', 'tar extract', 'ssh key', 'reactive', 'component props', 'computed', 'vacation leave',
  'travel policy', 'invoice', 'sales order', 'fixed assets', 'inventory', 'kubernetes', 'pull request', 'contributor',
  '事务', '索引', '备份', '慢查询', '部署', '集群', '组件', '响应式', '压缩文件', '进程', '用户权限', '配置文件', 'wiregaurd', 'pipline'];
const by = new Map<string, number[]>();
const all: number[] = [];
const run = async (n: number) => Promise.all(Array.from({ length: 10 }, async (_, c) => {
  for (let r = 0; r < n; r++) {
    const q = QUERIES[(c * 7 + r) % QUERIES.length]!;
    const t0 = performance.now();
    await fetch(`${base}/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, { headers: { authorization: `Bearer ${token}` } }).then((x) => x.arrayBuffer());
    const t = performance.now() - t0;
    if (n > 100) { all.push(t); (by.get(q) ?? by.set(q, []).get(q)!).push(t); }
  }
}));
await run(100);
import { spawn } from 'node:child_process';
const tracer = process.env.STRACE ? spawn('strace', ['-c', '-f', '-p', String(server.pid)], { stdio: ['ignore', 'inherit', 'inherit'] }) : null;
if (tracer) await new Promise((r) => setTimeout(r, 1000));
import fs from 'node:fs';
const cpu = () => { const f = fs.readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
const c0 = cpu();
await run(300);
const cpuPer = (cpu() - c0) / 3000;
if (tracer) { tracer.kill('SIGINT'); await new Promise((r) => tracer.once('exit', r)); }
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const p99 = pct(all, 99);
console.log(`cpu/search ${cpuPer.toFixed(2)} ms; all p50 ${pct(all, 50).toFixed(1)} p99 ${p99.toFixed(1)}`);
if (!process.env.BRIEF) for (const [q, xs] of [...by].sort((a, b) => pct(b[1], 50) - pct(a[1], 50))) console.log(q.padEnd(20), 'p50', pct(xs, 50).toFixed(1), 'p90', pct(xs, 90).toFixed(1), 'max', Math.max(...xs).toFixed(1), 'over p99:', xs.filter((x) => x >= p99).length);
server.kill('SIGTERM'); await meili.stop(); process.exit(0);
