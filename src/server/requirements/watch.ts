// Watching a requirement: watchers hear about its changes. Anyone who can read it may watch it.
import { and, eq } from 'drizzle-orm';
import { watchers } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write } from '../db.ts';
import { watch } from './events.ts';
import { loadRequirement } from './load.ts';

export function setWatching(viewer: Viewer | null, key: string, on: boolean): { watching: boolean } {
  const { req } = loadRequirement(viewer, key, 'read');
  write((tx) => {
    if (on) watch(tx, req.id, viewer!.id);
    else tx.delete(watchers).where(and(eq(watchers.requirementId, req.id), eq(watchers.userId, viewer!.id))).run();
  });
  return { watching: on };
}
