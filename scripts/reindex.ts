// npm run reindex: rebuild the Meilisearch index from SQLite (the source of truth).
import { dataDir } from '../src/server/config.ts';
import { closeDb } from '../src/server/db.ts';
import { migrateDatabase } from '../src/server/db-migrate.ts';
import { connectSearch } from '../src/server/meili/connect.ts';
import { reindexAll } from '../src/server/search/reindex.ts';

const started = performance.now();
migrateDatabase();
const search = await connectSearch(dataDir());
const n = await reindexAll();
console.log(`reindexed ${n} pages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
await search.stop();
closeDb();
