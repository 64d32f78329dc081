// The embedded Meilisearch process: its master key (random base64url, so one install in 64 has a
// key starting with "-") travels in the child's environment, never in its command line, and the
// child gets no other setting or secret of ours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMeili, type MeiliServer } from '../../src/server/meili/process.ts';

const KEY = '-L9xV2_secret-master-key-of-an-unlucky-install';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-meili-key-'));
const saved = { ...process.env };
let server: MeiliServer;

/** The process whose command line names this data folder: the Meilisearch we started. */
function childPid(): number {
  const dbPath = path.join(dir, 'data.ms');
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dbPath)) return Number(pid);
    } catch { /* gone, or not ours */ }
  }
  throw new Error(`no process with --db-path ${dbPath}`);
}

beforeAll(async () => {
  fs.writeFileSync(path.join(dir, 'master-key'), `${KEY}\n`, { mode: 0o600 });
  // Settings of ours (and of a shell) that must not reach the child: a config file it would read
  // and a secret it has no use for.
  process.env.MEILI_URL = 'http://127.0.0.1:9';
  process.env.MEILI_CONFIG_FILE_PATH = path.join(dir, 'no-such-config.toml');
  process.env.DOSSIER_OIDC_CLIENT_SECRET = 'oidc-secret-for-the-server-only';
  server = await startEmbeddedMeili(dir);
});
afterAll(async () => {
  process.env = saved;
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the embedded Meilisearch with a master key that starts with "-"', () => {
  it('starts healthy, and its key is the one in the data folder', async () => {
    expect(server.apiKey).toBe(KEY);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('accepts the key and refuses requests without it', async () => {
    expect((await fetch(`${server.url}/indexes`, { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/indexes`)).status).toBe(401);
    expect((await fetch(`${server.url}/indexes`, { headers: { authorization: 'Bearer -L9xV2_wrong' } })).status).toBe(403);
  });

  it('keeps the key out of the command line and passes no other setting or secret', () => {
    const pid = childPid();
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(KEY);
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    expect(env).toContain(`MEILI_MASTER_KEY=${KEY}`);
    expect(env.filter((v) => v.startsWith('MEILI_'))).toEqual([`MEILI_MASTER_KEY=${KEY}`]);
    expect(env.join('\n')).not.toContain('oidc-secret');
  });
});
