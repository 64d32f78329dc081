// How a Dossier process gets its Meilisearch: the server starts one (or uses MEILI_URL) and
// records it; command-line tools reuse the running one, or start their own while they run.
import fs from 'node:fs';
import path from 'node:path';
import { publishMeili } from '../search/client.ts';
import { ensureIndex } from '../search/settings.ts';
import { startMeili, waitHealthy, type MeiliServer } from './process.ts';

const runtimeFile = (dataDir: string) => path.join(dataDir, 'meili', 'runtime.json');

/** For the server: start (or reach) Meilisearch, publish it to this process, record it for tools. */
export async function serveSearch(dataDir: string): Promise<MeiliServer> {
  const server = await startMeili(dataDir);
  publishMeili(server.url, server.apiKey);
  await ensureIndex();
  if (!process.env.MEILI_URL) fs.writeFileSync(runtimeFile(dataDir), JSON.stringify({ url: server.url, pid: process.pid }));
  return {
    ...server,
    async stop() {
      fs.rmSync(runtimeFile(dataDir), { force: true });
      await server.stop();
    },
  };
}

/** For tools: reuse the running server's Meilisearch if there is one, else start our own. */
export async function connectSearch(dataDir: string): Promise<MeiliServer> {
  if (!process.env.MEILI_URL && fs.existsSync(runtimeFile(dataDir))) {
    try {
      const { url } = JSON.parse(fs.readFileSync(runtimeFile(dataDir), 'utf8')) as { url: string };
      await waitHealthy(url, 1000);
      const apiKey = fs.readFileSync(path.join(dataDir, 'meili', 'master-key'), 'utf8').trim();
      publishMeili(url, apiKey);
      await ensureIndex();
      return { url, apiKey, stop: async () => {} };
    } catch { /* stale record: the server is gone */ }
  }
  const server = await startMeili(dataDir);
  publishMeili(server.url, server.apiKey);
  await ensureIndex();
  return server;
}
