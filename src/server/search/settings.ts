// Index settings: what is searchable, filterable and sortable, and how languages are segmented.
import type { Settings } from 'meilisearch';
import { applySettings, meili, indexName } from './client.ts';
import { STOP_WORDS } from './stop-words.ts';
import { meiliSynonymSettings } from './synonyms.ts';

export const indexSettings: Settings = {
  // In order of weight: a match in the title, the opening paragraph or a heading counts more than one deep in the body.
  searchableAttributes: ['title', 'summary', 'headings', 'tags', 'text'],
  stopWords: [...STOP_WORDS],
  filterableAttributes: ['spaceId', 'spaceKey', 'type', 'tags', 'status', 'projectKey', 'docKey', 'section', 'lang'],
  sortableAttributes: ['updatedAt'],
  displayedAttributes: ['*'],
  // Long pages are split into one document per section; results show each page once.
  distinctAttribute: 'docKey',
  // Short Chinese queries are otherwise often detected as Japanese and segmented wrongly.
  localizedAttributes: [{ attributePatterns: ['*'], locales: ['cmn', 'eng'] }],
  pagination: { maxTotalHits: 1000 },
  // Word-pair proximity per attribute instead of per word position: indexing is several times
  // faster, and ranking still prefers documents with the words in the same field.
  proximityPrecision: 'byAttribute',
  facetSearch: false,
  // Meilisearch's defaults, stated: an index keeps any rules once set, and these are what search is tuned with.
  rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
};

/** Listing, not fetching one index: a 404 or a failed task would be logged by Meilisearch as a warning. */
export async function indexExists(name: string): Promise<boolean> {
  const client = meili();
  if (!client) throw new Error('Meilisearch is not configured');
  return (await client.getRawIndexes({ limit: 1000 })).results.some((i) => i.uid === name);
}

export async function ensureIndex(name = indexName()): Promise<void> {
  const client = meili()!;
  if (!(await indexExists(name))) await client.createIndex(name, { primaryKey: 'id' }).waitTask({ timeout: 30_000 });
  // The site's synonyms live in SQLite (synonyms.ts): a fresh or rebuilt index gets them here.
  // Unchanged settings cost Meilisearch nothing.
  await applySettings({ ...indexSettings, ...meiliSynonymSettings() }, { name, waitMs: 60_000 });
}
