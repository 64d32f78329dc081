// npm run bench:search-quality: runs the search development set (../shared/search-dev-eval.tsv)
// through our search, the code path of GET /api/v1/search, as a site admin (who may read every
// space), on the demo content plus the shared corpus. Prints hits@5 per kind, the total and MRR@5.
// The imported data folder is kept between runs (QUALITY_DATA, default <tmp>/dossier-search-quality):
// the first run imports (~1-2 min); later runs apply the current index settings and rebuild the
// index from SQLite only when the search document code changed. QUALITY_FRESH=1 imports again.
// QUALITY_MISSES=1 lists the misses with what came back.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeDb } from '../../src/server/db.ts';
import { migrateDatabase } from '../../src/server/db-migrate.ts';
import { importFolders, importSpace, spaceKeyFor, type ImportReport } from '../../src/server/content-io/import-folder.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { startEmbeddedMeili } from '../../src/server/meili/process.ts';
import { publishMeili } from '../../src/server/search/client.ts';
import { drainOutbox, startIndexer } from '../../src/server/search/indexer.ts';
import { reindexAll } from '../../src/server/search/reindex.ts';
import { ensureIndex } from '../../src/server/search/settings.ts';
import { searchApi } from '../../src/server/search/api.ts';
import { root } from '../lib/build.ts';

const shared = path.resolve(process.env.DOSSIER_CORPUS ? path.dirname(process.env.DOSSIER_CORPUS) : path.join(root, '../shared'));
const corpus = path.resolve(process.env.DOSSIER_CORPUS ?? path.join(shared, 'corpus'));
const evalFile = path.resolve(process.env.QUALITY_SET ?? path.join(shared, 'search-dev-eval.tsv'));
const SPACES = ['tldr', 'vue', 'tidb-docs-cn', 'business-central', '18f-handbook', 'opensource-guide'];
const dataDir = path.resolve(process.env.QUALITY_DATA ?? path.join(os.tmpdir(), 'dossier-search-quality'));
const log = (m: string) => console.log(m);

// What a cached index depends on: the code that makes search documents and the index settings.
const fingerprint = createHash('sha256')
  .update(['documents.ts', 'reindex.ts'].map((f) => fs.readFileSync(path.join(root, 'src/server/search', f), 'utf8')).join('\0'))
  .digest('hex').slice(0, 16);

if (process.env.QUALITY_FRESH) fs.rmSync(dataDir, { recursive: true, force: true });
const fresh = !fs.existsSync(path.join(dataDir, 'imported'));
if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
fs.mkdirSync(dataDir, { recursive: true });
process.env.DOSSIER_DATA_DIR = dataDir;
const meili = await startEmbeddedMeili(path.join(dataDir, 'meili'));
try {
  publishMeili(meili.url, meili.apiKey);
  migrateDatabase();
  await ensureIndex();
  const fingerprintFile = path.join(dataDir, 'index-fingerprint');
  if (fresh) {
    const started = performance.now();
    const report: ImportReport = { spaces: [], skipped: [] };
    const indexer = startIndexer();
    const pool = new RenderPool();
    const demo = await importFolders(path.join(root, 'content'), pool);
    report.spaces.push(...demo.spaces);
    for (const name of SPACES) await importSpace(path.join(corpus, name), spaceKeyFor(name), report, pool);
    await pool.close();
    await indexer.stop();
    await drainOutbox();
    fs.writeFileSync(fingerprintFile, fingerprint);
    fs.writeFileSync(path.join(dataDir, 'imported'), new Date().toISOString());
    log(`imported ${report.spaces.map((s) => `${s.key} (${s.created})`).join(', ')} in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } else if (fs.readFileSync(fingerprintFile, 'utf8') !== fingerprint) {
    const started = performance.now();
    await reindexAll();
    fs.writeFileSync(fingerprintFile, fingerprint);
    log(`search documents changed: index rebuilt in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  await evaluate();
} finally {
  closeDb();
  await meili.stop();
}

async function evaluate(): Promise<void> {
  const rows = fs.readFileSync(evalFile, 'utf8').split('\n').slice(1).filter(Boolean).map((line) => {
    const [query, expected, kind] = line.split('\t') as [string, string, string];
    const at = expected.indexOf('/');
    return { query, space: expected.slice(0, at), path: expected.slice(at + 1), kind };
  });
  // A site admin reads every space, as the set's scoring asks; nothing here depends on who it is beyond that.
  const admin = { id: 1, email: 'quality@example.com', name: 'Quality', admin: true, locale: null };
  const perKind = new Map<string, { n: number; hits: number; rr: number }>();
  const took: number[] = [];
  const misses: string[] = [];
  // Every query once before counting: a Meilisearch just started reads its index from disk, and on
  // a loaded machine its first searches can pass the search timeout (503), which is not relevance.
  for (const row of rows) await searchApi(admin, new URLSearchParams({ q: row.query, limit: '5' })).catch(() => {});
  for (const row of rows) {
    const t0 = performance.now();
    const res = await searchApi(admin, new URLSearchParams({ q: row.query, limit: '5' }));
    took.push(performance.now() - t0);
    const rank = res.hits.findIndex((h) => h.type === 'page' && h.space === row.space && h.path === row.path) + 1;
    const k = perKind.get(row.kind) ?? { n: 0, hits: 0, rr: 0 };
    k.n++;
    if (rank > 0) { k.hits++; k.rr += 1 / rank; } else misses.push(`  [${row.kind}] ${row.query}  → want ${row.space}/${row.path}\n      got ${res.hits.map((h) => `${h.space}/${h.path}`).join(' | ') || '(nothing)'}`);
    perKind.set(row.kind, k);
  }
  if (process.env.QUALITY_MISSES) log(`\nmisses:\n${misses.join('\n')}`);
  log(`\n== Search quality: ${path.basename(evalFile)}, hits@5 and MRR@5 (as a site admin, limit=5)`);
  let hits = 0;
  let rr = 0;
  for (const [kind, k] of perKind) {
    hits += k.hits;
    rr += k.rr;
    log(`  ${kind.padEnd(12)} ${String(k.hits).padStart(2)}/${k.n}   MRR@5 ${(k.rr / k.n).toFixed(2)}`);
  }
  const sorted = [...took].sort((a, b) => a - b);
  log(`  ${'total'.padEnd(12)} ${hits}/${rows.length}  MRR@5 ${(rr / rows.length).toFixed(2)}   (median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms per search, sequential)`);
}
