// Outbox leases belong to a live process: another process sharing the database leaves them alone
// however long the work takes, and takes them over within seconds once that process is killed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, write } from '../../src/server/db.ts';
import { claimOutbox, completeOutbox, enqueue, OWNER_STALE_MS } from '../../src/server/outbox.ts';
import { freshEnvironment } from './setup-env.ts';

const outboxModule = path.resolve(import.meta.dirname, '../../src/server/outbox.ts');

beforeAll(async () => { await freshEnvironment('leases'); });
afterAll(() => closeDb());

/** Another process on the same database: leases the due index rows, prints them, and keeps beating. */
function otherProcess(): Promise<{ claimed: number[]; kill(): Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', `
    import { claimOutbox, holdLeases } from ${JSON.stringify(outboxModule)};
    holdLeases(console.error);
    console.log(JSON.stringify(claimOutbox(['index-page'], 10, 120000).map((r) => r.id)));
    setInterval(() => {}, 1000);
  `], { env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({
        claimed: JSON.parse(out) as number[],
        kill: () => new Promise<void>((done) => { child.once('exit', () => done()); child.kill('SIGKILL'); }),
      });
    });
    child.once('exit', (code) => reject(new Error(`the other process exited with ${code}: ${out}`)));
  });
}

describe('outbox leases', () => {
  it('are not taken from a live process, and are taken over within seconds of its death', async () => {
    const ids = [1, 2].map((subject) => write((tx) => { enqueue(tx, 'index-page', subject); return tx.$client.prepare('select max(id) from outbox').pluck().get() as number; }));
    const other = await otherProcess();
    expect(other.claimed).toEqual(ids);

    // Longer than a silent owner is given: the other process beats, so its leases hold.
    const until = Date.now() + OWNER_STALE_MS + 1500;
    while (Date.now() < until) {
      expect(claimOutbox(['index-page'], 10, 120_000)).toEqual([]);
      await new Promise((r) => setTimeout(r, 250));
    }

    await other.kill();
    const killedAt = Date.now();
    let taken: number[] = [];
    while (taken.length === 0 && Date.now() - killedAt < 30_000) {
      taken = claimOutbox(['index-page'], 10, 120_000).map((r) => r.id);
      if (taken.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    const after = Date.now() - killedAt;
    console.log(`leases of the killed process taken over after ${after} ms`);
    expect(taken).toEqual(ids);
    expect(after).toBeLessThan(OWNER_STALE_MS + 2000); // not the 120 s lease
    // This process's own fresh leases are not claimed twice.
    expect(claimOutbox(['index-page'], 10, 120_000)).toEqual([]);
    completeOutbox(taken);
  });
});
