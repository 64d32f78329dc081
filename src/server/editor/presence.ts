// Who has a page open in an editor right now, from the editors' heartbeats.
// Kept in this process's memory, not in SQLite: it is a hint that is worthless a minute later, it
// changes every few seconds per open editor (writes the WAL would have to carry for nothing), and
// a restart only forgets it for one heartbeat. An entry expires 45 s after its last beat: three
// missed 15 s heartbeats, so one slow or dropped request does not make a writer vanish, and a
// closed tab disappears within a minute.
import { assertCan, type Viewer } from '../access/index.ts';
import { notFound } from '../errors.ts';
import { normalizePagePath } from '../pages/page-path.ts';
import { findSpace } from '../spaces/spaces.ts';

export const PRESENCE_TTL_MS = 45_000;

interface Entry { name: string; since: number; seen: number }
// page key → user id → entry
const open = new Map<string, Map<number, Entry>>();

/** Records the viewer's beat and answers the others editing this page: [{name, since}], oldest first. */
export function heartbeat(viewer: Viewer | null, spaceKey: string, rawPath: string, now = Date.now()): { name: string; since: string }[] {
  const space = findSpace(spaceKey);
  if (!space) throw notFound();
  assertCan(viewer, 'edit', space);
  const key = `${space.id}\u0000${normalizePagePath(rawPath)}`;
  const editors = open.get(key) ?? new Map<number, Entry>();
  open.set(key, editors);
  for (const [id, e] of editors) if (now - e.seen > PRESENCE_TTL_MS) editors.delete(id);
  const mine = editors.get(viewer!.id);
  editors.set(viewer!.id, { name: viewer!.name, since: mine?.since ?? now, seen: now });
  sweep(now);
  return [...editors].filter(([id]) => id !== viewer!.id)
    .map(([, e]) => e).sort((a, b) => a.since - b.since)
    .map((e) => ({ name: e.name, since: new Date(e.since).toISOString() }));
}

// Pages nobody beats for any more are dropped, at most once a minute, so the map stays as small as
// the set of editors open now.
let lastSweep = 0;
function sweep(now: number): void {
  if (now - lastSweep < 60_000) return;
  lastSweep = now;
  for (const [key, editors] of open) {
    for (const [id, e] of editors) if (now - e.seen > PRESENCE_TTL_MS) editors.delete(id);
    if (editors.size === 0) open.delete(key);
  }
}
