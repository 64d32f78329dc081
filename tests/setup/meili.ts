// One real Meilisearch for the test run, on a free port with a throw-away data folder. It dies
// with the test run even when that is killed (process.ts starts it with a parent-death signal).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedMeili } from '../../src/server/meili/process.ts';

export default async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-meili-'));
  const server = await startEmbeddedMeili(dir);
  process.env.TEST_MEILI_URL = server.url;
  process.env.TEST_MEILI_KEY = server.apiKey;
  return async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
