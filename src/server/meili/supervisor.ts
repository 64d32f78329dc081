// Keeps search up. A probe asks Meilisearch's /health every second; the embedded Meilisearch is
// started again when it exits, or killed and started again when it has not answered for 10 s
// (stopped, deadlocked), with an exponential backoff between attempts. An external one (MEILI_URL)
// can only be watched. Either way, whenever search answers again, the index outbox is replayed.
import { replayOutbox } from '../search/indexer.ts';
import type { MeiliServer } from './process.ts';

/** `down`: refuses connections; `hung`: accepts them but does not answer; `restarting`: the embedded process exited and is being started again. */
export type SearchState = 'ok' | 'down' | 'hung' | 'restarting';
export interface SearchStatus { state: SearchState; restarts: number }

export const PROBE_EVERY_MS = 1000;
export const PROBE_TIMEOUT_MS = 1000;
// A Meilisearch that answers nothing for this long is killed and restarted. Not sooner: a
// machine that swaps or a long pause can stall it for seconds, and a restart costs a cold start.
export const HUNG_KILL_MS = 10_000;
// Restart attempts wait 0.5 s, 1 s, 2 s … 30 s; the count starts over after a minute of health.
export const RESTART_FIRST_MS = 500;
export const RESTART_MAX_MS = 30_000;
export const STABLE_MS = 60_000;

// The start script runs the supervisor; /healthz, in the server bundle, reads its status: the two
// load this module separately, so the status lives on a process-wide symbol.
const statusKey = Symbol.for('dossier.search.status');
const shared = globalThis as unknown as Record<symbol, SearchStatus | undefined>;

/** The supervisor's view of search, when this process runs one. */
export function searchStatus(): SearchStatus | undefined {
  return shared[statusKey];
}

/** One GET /health with a deadline. */
export async function probeSearch(url: string): Promise<'ok' | 'down' | 'hung'> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.ok ? 'ok' : 'down';
  } catch (err) {
    return (err as Error).name === 'TimeoutError' ? 'hung' : 'down';
  }
}

/**
 * Watches `first` until stop(). `restart(port)` starts the embedded Meilisearch again (on its old
 * port first, on a free one after a failed attempt); null for an external one.
 */
export function superviseSearch(first: MeiliServer, restart: ((port?: number) => Promise<MeiliServer>) | null, log: (msg: string) => void): { stop(): Promise<void> } {
  const status: SearchStatus = { state: 'ok', restarts: 0 };
  shared[statusKey] = status;
  let current: MeiliServer | null = first;
  let stopped = false;
  let failures = 0; // restarts since search was last healthy for STABLE_MS: the backoff's exponent
  let healthySince = Date.now();
  let silentSince = 0; // when the current process stopped answering
  let probeTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;

  const enter = (state: SearchState) => {
    if (state === status.state) return;
    log(`search: ${status.state} → ${state}`);
    status.state = state;
    if (state !== 'ok') return;
    healthySince = Date.now();
    try {
      const due = replayOutbox();
      if (due) log(`search: ${due} index updates from the outage replayed`);
    } catch (err) {
      log(`search: replaying the outbox failed (the indexer retries anyway): ${(err as Error).message}`);
    }
  };

  const scheduleRestart = (port?: number) => {
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** failures++);
    log(`search: starting Meilisearch again in ${delay} ms`);
    restartTimer = setTimeout(async () => {
      try {
        const server = await restart!(port);
        if (stopped) return void (await server.stop());
        status.restarts++;
        log(`search: Meilisearch restarted (pid ${server.pid}, ${server.url})`);
        watch(server);
        enter('ok'); // it answered its health check before start returned
      } catch (err) {
        log(`search: starting Meilisearch failed: ${(err as Error).message}`);
        if (!stopped) scheduleRestart();
      }
    }, delay);
  };

  const watch = (server: MeiliServer) => {
    current = server;
    silentSince = 0;
    void server.exited?.then((how) => {
      if (stopped || server !== current) return;
      current = null;
      log(`search: Meilisearch (pid ${server.pid}) exited with ${how}`);
      enter('restarting');
      scheduleRestart(Number(new URL(server.url).port));
    });
  };

  const probe = async () => {
    const server = current;
    if (server) {
      const askedAt = Date.now();
      const answer = await probeSearch(server.url);
      if (!stopped && server === current) {
        if (answer === 'ok') {
          silentSince = 0;
          if (Date.now() - healthySince >= STABLE_MS) failures = 0;
          enter('ok');
        } else {
          silentSince ||= askedAt;
          enter(answer);
          if (restart && server.pid && Date.now() - silentSince >= HUNG_KILL_MS) {
            log(`search: Meilisearch (pid ${server.pid}) has not answered for ${Date.now() - silentSince} ms; killing it`);
            try { process.kill(server.pid, 'SIGKILL'); } catch { /* exited meanwhile */ } // its exit restarts it
            silentSince = 0;
          }
        }
      }
    }
    if (!stopped) probeTimer = setTimeout(probe, PROBE_EVERY_MS);
  };

  if (restart) watch(first);
  probeTimer = setTimeout(probe, PROBE_EVERY_MS);
  return {
    async stop() {
      stopped = true;
      clearTimeout(probeTimer);
      clearTimeout(restartTimer);
      shared[statusKey] = undefined;
      await current?.stop();
    },
  };
}
