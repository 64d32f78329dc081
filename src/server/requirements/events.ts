// Recording a requirement event: the append-only row, then everything that follows from it in
// the same transaction (inbox notifications, webhook deliveries, the search index).
import { requirementEvents, watchers } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { notifyEvent } from '../notify/notify-event.ts';
import { enqueue } from '../outbox.ts';
import type { Requirement } from './load.ts';

export type EventKind = (typeof requirementEvents.$inferSelect)['kind'];
export const EVENT_KINDS: EventKind[] = ['created', 'transitioned', 'changed', 'edited', 'linked', 'unlinked', 'commented', 'nudged', 'mentioned',
  'claimed', 'escalated', 'confirmed', 'reopened', 'auto-closed'];

/**
 * `announce: false` records without telling anyone (inbox, webhooks): bulk work such as a
 * spreadsheet import or re-rendering pages for a new project is history, not news. `at`: when it
 * happened, for history brought in from elsewhere (a migration's created and closed dates).
 */
export function recordEvent(tx: Db, req: Requirement, actorId: number | null, kind: EventKind, data: Record<string, unknown>, opts: { announce?: boolean; at?: number } = {}): number {
  const { id } = tx.insert(requirementEvents).values({ requirementId: req.id, kind, actorId, data, ...(opts.at === undefined ? {} : { at: opts.at }) }).returning({ id: requirementEvents.id }).get();
  if (opts.announce !== false) notifyEvent(tx, { id, kind, actorId, data, req });
  enqueue(tx, 'index-requirement', req.id);
  return id;
}

export function watch(tx: Db, requirementId: number, userId: number): void {
  tx.insert(watchers).values({ requirementId, userId }).onConflictDoNothing().run();
}
