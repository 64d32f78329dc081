// After delete-cost.ts: the outbox's removals applied to the kept import's index.
import path from 'node:path';
process.env.DOSSIER_DATA_DIR = process.env.DATA!;
const { startEmbeddedMeili } = await import('../src/server/meili/process.ts');
const { publishMeili, searchIndex } = await import('../src/server/search/client.ts');
const { drainOutbox } = await import('../src/server/search/indexer.ts');
const meili = await startEmbeddedMeili(path.join(process.env.DATA!, 'meili'));
publishMeili(meili.url, meili.apiKey);
const left = async () => (await searchIndex()!.search('', { filter: 'spaceKey = "tldr"', limit: 0 })).estimatedTotalHits;
console.log('tldr documents before', await left());
const t0 = performance.now();
await drainOutbox();
console.log('after', await left(), `in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await meili.stop();
