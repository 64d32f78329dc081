// The Meilisearch connection of this process. The process that starts or finds Meilisearch
// (scripts/start.ts, import, tests) publishes it in DOSSIER_MEILI_URL / DOSSIER_MEILI_KEY.
import { Meilisearch, type Index } from 'meilisearch';
import type { SearchDoc } from './documents.ts';

let cached: { url: string; client: Meilisearch } | undefined;

export function indexName(): string {
  return process.env.DOSSIER_SEARCH_INDEX ?? 'dossier';
}

export function publishMeili(url: string, apiKey: string): void {
  process.env.DOSSIER_MEILI_URL = url;
  process.env.DOSSIER_MEILI_KEY = apiKey;
}

export function meili(): Meilisearch | null {
  const url = process.env.DOSSIER_MEILI_URL;
  if (!url) return null;
  if (cached?.url !== url) {
    cached = {
      url,
      client: new Meilisearch({
        host: url, apiKey: process.env.DOSSIER_MEILI_KEY, timeout: 30_000,
        // fetch asks for gzip/br by default, and Meilisearch then spends ~40 ms compressing each
        // search answer; over a local or data-centre link, uncompressed is 5-10× faster.
        requestInit: { headers: { 'accept-encoding': 'identity' } },
      }),
    };
  }
  return cached.client;
}

export function searchIndex(): Index<SearchDoc> | null {
  return meili()?.index<SearchDoc>(indexName()) ?? null;
}
