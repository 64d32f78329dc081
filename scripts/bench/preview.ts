// npm run bench:preview: the editor's live preview (POST /api/v1/preview) for a 20 kB page, on a
// server started on a fresh data folder: latency p50/p99 for one writer at a time, then for 10
// writers at once (each preview renders on the render pool, then is resolved for its reader),
// beside the renderer alone on the same text in this process (the floor: what a save pays too).
// Prints figures; asserts nothing. BENCH_PREVIEWS=<n> previews per measurement (default 100).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createUser } from '../../src/server/auth/users.ts';
import { closeDb, db } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { renderMarkdown } from '../../src/server/markdown/render.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { ensureBuilt } from '../lib/build.ts';
import { benchSession, startBenchServer } from './bench-server.ts';

const log = (m: string) => console.log(m);
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!; };
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** About 20 kB of the Markdown people write: headings, prose, lists, tasks, a table, code, wiki links, keys. */
function page(bytes: number): string {
  const parts: string[] = ['# Weekly status 周报\n'];
  for (let i = 1; Buffer.byteLength(parts.join('\n')) < bytes; i++) {
    parts.push(`## Section ${i}: 进展与风险\n`,
      `We shipped **part ${i}** of the [[Project plan]] and reviewed PAY-${i} with _finance_; see [the spec](https://example.com/spec/${i}) and [[guide:Searching|search tips]].\n`,
      '本周完成了数据迁移，下周开始灰度发布。风险：供应商接口延迟，需要与 [[运维手册]] 对齐。\n',
      `- [x] Migrate table ${i}\n- [ ] Review PAY-${i + 100}\n- Follow up with the team\n`,
      `| Item | Owner | Due |\n| --- | --- | --- |\n| VPN ${i} | IT | 2027-01-${String((i % 28) + 1).padStart(2, '0')} |\n| 报销 | 财务 | 周五 |\n`,
      '```ts\nconst total = items.reduce((n, x) => n + x.amount, 0);\n```\n',
      `> Note ${i}: numbers are preliminary.\n`);
  }
  return parts.join('\n');
}

ensureBuilt(log);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-preview-'));
process.env.DOSSIER_DATA_DIR = dataDir;
migrateDatabase();
upsertSpace(db(), { key: 'bench', name: 'Bench' }); // a space already there: the server skips the demo import
await createUser({ email: 'bench@example.com', name: 'Bench', password: 'benchmark password', admin: true });
closeDb();

const { server, base } = await startBenchServer(dataDir);
const { token } = await benchSession(base);

const markdown = page(20_000);
// Each request differs by a character, as successive previews of someone typing do.
const preview = async (i: number) => {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/preview`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ space: 'bench', path: 'status', markdown: `${markdown}\n${i}` }),
  });
  if (res.status !== 200) throw new Error(`preview answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return performance.now() - t0;
};

const n = Number(process.env.BENCH_PREVIEWS ?? 100);
log(`\n== Preview of a ${(Buffer.byteLength(markdown) / 1000).toFixed(1)} kB page (POST /api/v1/preview); load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`);
const alone: number[] = [];
for (let i = 0; i < 10 + n; i++) {
  const t0 = performance.now();
  renderMarkdown(`${markdown}\n${i}`, { space: 'bench' });
  if (i >= 10) alone.push(performance.now() - t0);
}
log(`  the renderer alone, in process:      p50 ${ms(pct(alone, 50))}  p99 ${ms(pct(alone, 99))}`);
for (let i = 0; i < 20; i++) await preview(i); // warm up: JIT, render workers
const one: number[] = [];
for (let i = 0; i < n; i++) one.push(await preview(i));
log(`  1 writer, ${n} previews:            p50 ${ms(pct(one, 50))}  p99 ${ms(pct(one, 99))}`);
const ten: number[] = [];
const started = performance.now();
await Promise.all(Array.from({ length: 10 }, async (_, c) => { for (let i = 0; i < n / 10; i++) ten.push(await preview(c * 1000 + i)); }));
const seconds = (performance.now() - started) / 1000;
log(`  10 writers at once, ${ten.length} previews:  p50 ${ms(pct(ten, 50))}  p99 ${ms(pct(ten, 99))}  (${(ten.length / seconds).toFixed(1)} previews/s)`);

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
