// "Take it / 我来处理": someone who can edit the project (a queue member, or any editor) makes
// themselves the assignee; the shared queue is cleared. Refused with 403 for readers who cannot
// edit, 404 for those who cannot read, 422 when the item is already done.
import { eq } from 'drizzle-orm';
import { groups, requirements, users } from '../../../db/schema.ts';
import { can, type Viewer } from '../access/index.ts';
import { write } from '../db.ts';
import { DomainError, forbidden } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { recordEvent, watch } from '../requirements/events.ts';
import { loadRequirement } from '../requirements/load.ts';

export interface Claimed { key: string; assignee: { email: string; name: string }; version: number }

export function claimRequirement(viewer: Viewer | null, key: string): Claimed {
  const { req: loaded, space, project } = loadRequirement(viewer, key, 'read');
  if (!can(viewer, 'edit', space)) throw forbidden(`Only people who can edit ${project.key} may take ${key}`, { code: 'claimForbidden' });
  if (loaded.closedAt !== null) throw new DomainError(422, `${key} is already done; there is nothing to take`, { code: 'nothingToClaim' });
  const me = { email: viewer!.email, name: viewer!.name };
  const result = write((tx) => {
    const req = tx.select().from(requirements).where(eq(requirements.id, loaded.id)).get()!;
    if (req.assigneeId === viewer!.id && req.groupId === null) return { key, assignee: me, version: req.version, changed: false };
    const before = req.assigneeId === null ? null : tx.select({ email: users.email }).from(users).where(eq(users.id, req.assigneeId)).get()?.email ?? null;
    const queue = req.groupId === null ? null : tx.select({ name: groups.name }).from(groups).where(eq(groups.id, req.groupId)).get()?.name ?? null;
    const updated = tx.update(requirements).set({ assigneeId: viewer!.id, groupId: null, version: req.version + 1, updatedAt: Date.now() })
      .where(eq(requirements.id, req.id)).returning().get();
    const changes = [{ field: 'assignee', before, after: viewer!.email }, ...(queue ? [{ field: 'queue', before: queue, after: null }] : [])];
    recordEvent(tx, updated, viewer!.id, 'claimed', { fields: changes.map((c) => c.field), changes, queue });
    watch(tx, updated.id, viewer!.id);
    return { key, assignee: me, version: updated.version, changed: true };
  });
  if (result.changed) wakeOutbox();
  return { key: result.key, assignee: result.assignee, version: result.version };
}
