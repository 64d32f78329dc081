// How a Dossier process gets its Meilisearch: the server starts one (or uses MEILI_URL) and
// records it; command-line tools reuse the running one, or start their own while they run.
import fs from 'node:fs';
import path from 'node:path';
import { publishMeili } from '../search/client.ts';
import { ensureIndex } from '../search/settings.ts';
import { startEmbeddedMeili, startMeili, waitHealthy, type MeiliServer } from './process.ts';
import { superviseSearch } from './supervisor.ts';

const runtimeFile = (dataDir: string) => path.join(dataDir, 'meili', 'runtime.json');

/**
 * For the server: start (or reach) Meilisearch, publish it to this process, record it for tools,
 * and keep it up (supervisor.ts) until stop().
 */
export async function serveSearch(dataDir: string, log: (msg: string) => void = console.error): Promise<MeiliServer> {
  const external = Boolean(process.env.MEILI_URL);
  const publish = (server: MeiliServer) => {
    publishMeili(server.url, server.apiKey);
    if (!external) fs.writeFileSync(runtimeFile(dataDir), JSON.stringify({ url: server.url, pid: process.pid }));
  };
  const server = await startMeili(dataDir);
  publish(server);
  await ensureIndex();
  const restart = async (port?: number) => {
    const again = await startEmbeddedMeili(path.join(dataDir, 'meili'), port);
    publish(again);
    return again;
  };
  const supervisor = superviseSearch(server, external ? null : restart, log);
  return {
    url: server.url,
    apiKey: server.apiKey,
    async stop() {
      fs.rmSync(runtimeFile(dataDir), { force: true });
      await supervisor.stop();
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
