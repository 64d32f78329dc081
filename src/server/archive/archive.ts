// Archiving a space or a project: it becomes read-only (access/index.ts refuses every write into an
// archived space with 409), drops out of lists and default search, and sends no reminders or
// webhooks. A project and its own space are archived together: one flag on the space decides
// writes, and the project's flag (lists, reminders, webhooks) is kept in step with it.
import { eq } from 'drizzle-orm';
import { projects, spaces } from '../../../db/schema.ts';
import { assertCan, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { write, type Db } from '../db.ts';
import { badInput } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { loadProject } from '../projects/projects.ts';
import { getSpace, type Space } from '../spaces/spaces.ts';

export function assertArchivedFlag(value: unknown): boolean {
  if (typeof value !== 'boolean') throw badInput('archived is true or false');
  return value;
}

/**
 * Sets the flag on the space and on the project that owns it, in the caller's transaction. Search
 * reads it from here when it asks which spaces the reader may search (access/index.ts), so nothing
 * is indexed again.
 */
export function applyArchived(tx: Db, viewer: Viewer, space: Space, archived: boolean): void {
  if (space.archived === archived) return;
  tx.update(spaces).set({ archived }).where(eq(spaces.id, space.id)).run();
  tx.update(projects).set({ archived }).where(eq(projects.spaceId, space.id)).run();
  appendAudit(tx, viewer, archived ? 'space.archive' : 'space.unarchive', space.key, { archived: space.archived }, { archived });
}

/** A site admin or an admin of the space (un)archives it; with it the project it belongs to, if any. */
export function setSpaceArchived(viewer: Viewer | null, key: string, archived: boolean): Space {
  const space = getSpace(viewer, key);
  assertCan(viewer, 'manage', space);
  write((tx) => applyArchived(tx, viewer!, space, assertArchivedFlag(archived)));
  wakeOutbox();
  return { ...space, archived };
}

/** A site admin or the project's admin (an admin of its space) (un)archives the project, and its space with it. */
export function setProjectArchived(viewer: Viewer | null, key: string, archived: boolean): { key: string; archived: boolean } {
  const { project, space } = loadProject(viewer, key, 'manage');
  write((tx) => {
    applyArchived(tx, viewer!, space, assertArchivedFlag(archived));
    // A project whose flag drifted from its space's (set before they were kept in step) follows too.
    tx.update(projects).set({ archived }).where(eq(projects.id, project.id)).run();
  });
  wakeOutbox();
  return { key: project.key, archived };
}
