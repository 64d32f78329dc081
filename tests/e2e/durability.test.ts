// Durability under crashes: a server of our own on a fresh data folder takes page saves and
// requirement comments from concurrent writers while it is killed with SIGKILL twice and started
// again on the same folder. Every write it acknowledged (2xx) must be there afterwards, through
// the API and in the SQLite file itself, which must pass PRAGMA integrity_check after a third kill.
// (A process kill keeps the OS's page cache; that writes also survive a power cut is what
// synchronous=FULL in src/server/db.ts is for.)
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/server/meili/process.ts';
import { bareDataDir, startServer, stopServer, type RunningServer } from '../setup/server.ts';
import { api, signIn } from './http.ts';

const dataDir = bareDataDir();
let server: RunningServer | undefined;
let at = '';

afterAll(async () => {
  if (server) await stopServer(server, 'SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<void> {
  server = await startServer({ dataDir, port: await freePort(), env: { DOSSIER_SEARCH_INDEX: `durability_${process.pid}` } });
  at = server.url;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Acked { kind: 'page' | 'comment'; target: string; text: string; revision?: number }

describe('durability', () => {
  it('keeps every acknowledged write through kill -9 and restart, and the database stays intact', async () => {
    await start();
    const { token } = await signIn(undefined, at);
    expect((await api('/api/v1/projects', { method: 'POST', auth: token, at, json: { key: 'DURA', name: 'Durability' } })).status).toBe(201);
    for (const title of ['First', 'Second']) {
      expect((await api('/api/v1/projects/DURA/requirements', { method: 'POST', auth: token, at, json: { title, category: 'feature' } })).status).toBe(201);
    }

    const acked: Acked[] = [];
    let cutOff = 0; // requests in flight when the server was killed: their outcome is unknown, so nothing is expected of them
    let running = true;
    // Each writer sends one request at a time and sends the same write again until it is acknowledged.
    const writer = async (send: (i: number) => Promise<Acked | null>) => {
      for (let i = 1; running; ) {
        try {
          const done = await send(i);
          if (done) { acked.push(done); i++; }
        } catch (err) {
          if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') cutOff++;
          await sleep(100); // the server is down: try again shortly
        }
      }
    };
    const pageWriter = (n: number) => writer(async (i) => {
      const text = `Writer ${n}, save ${i}: 持久 ${'x'.repeat(i % 7)}`;
      const res = await api(`/api/v1/pages/dura/writer-${n}`, { method: 'PUT', auth: token, at, json: { title: `Writer ${n}`, markdown: text } });
      return res.ok ? { kind: 'page', target: `writer-${n}`, text, revision: ((await res.json()) as { revision: number }).revision } : null;
    });
    const commentWriter = (key: string) => writer(async (i) => {
      const text = `${key} comment ${i}`;
      const res = await api(`/api/v1/requirements/${key}/comments`, { method: 'POST', auth: token, at, json: { comment: text } });
      return res.ok ? { kind: 'comment', target: key, text } : null;
    });
    const writers = [pageWriter(1), pageWriter(2), pageWriter(3), commentWriter('DURA-1'), commentWriter('DURA-2'), commentWriter('DURA-1')];

    const perPhase: number[] = [];
    // Each kill comes once the writers are in full flow: at least a second and a dozen writes after the start.
    const inFlow = async (from: number) => {
      const started = Date.now();
      while (Date.now() - started < 1000 || acked.length - from < 12) await sleep(50);
    };
    for (let crash = 0; crash < 2; crash++) {
      const before = acked.length;
      await inFlow(before);
      await stopServer(server!, 'SIGKILL');
      perPhase.push(acked.length - before);
      await start();
    }
    await inFlow(acked.length);
    running = false;
    await Promise.all(writers);
    console.log(`acknowledged ${acked.length} writes (${perPhase.join(' and ')} before the two kills); ${cutOff} requests cut off by the kills`);
    expect(perPhase.every((n) => n > 0)).toBe(true);
    expect(cutOff).toBeGreaterThan(0); // killed mid-stream, not between writes

    // Through the restarted server: each page shows its last acknowledged save, each comment is there.
    for (const n of [1, 2, 3]) {
      const last = acked.filter((a) => a.target === `writer-${n}`).at(-1)!;
      const page = (await (await api(`/api/v1/pages/dura/writer-${n}`, { auth: token, at })).json()) as { markdown: string; revision: number };
      expect(page).toMatchObject({ markdown: last.text, revision: last.revision });
    }
    for (const key of ['DURA-1', 'DURA-2']) {
      const req = (await (await api(`/api/v1/requirements/${key}`, { auth: token, at })).json()) as { events: { kind: string; comment?: string }[] };
      const comments = new Set(req.events.filter((e) => e.kind === 'commented').map((e) => e.comment));
      expect(acked.filter((a) => a.target === key).map((a) => a.text).filter((t) => !comments.has(t))).toEqual([]);
    }

    // A third kill, then the file itself: intact, and every acknowledged revision and comment in it.
    await stopServer(server!, 'SIGKILL');
    server = undefined;
    const db = new Database(path.join(dataDir, 'dossier.db'));
    try {
      expect(db.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const revision = db.prepare<[string, number], string>(`select r.markdown from revisions r join pages p on p.id = r.page_id
        join spaces s on s.id = p.space_id where s.key = 'dura' and p.path = ? and r.number = ?`).pluck();
      const comment = db.prepare<[string, string], number>(`select count(*) from requirement_events e join requirements q on q.id = e.requirement_id
        where q.key = ? and e.kind = 'commented' and json_extract(e.data, '$.comment') = ?`).pluck();
      const missing = acked.filter((a) => (a.kind === 'page' ? revision.get(a.target, a.revision!) !== a.text : comment.get(a.target, a.text) === 0));
      expect(missing).toEqual([]);
    } finally {
      db.close();
    }
  }, 180_000);
});
