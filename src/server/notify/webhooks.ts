// Project webhooks: which deliveries an event creates. Each delivery is a logged row plus an
// outbox row written in the event's transaction; src/server/notify/deliver.ts sends them after commit.
import { and, eq } from 'drizzle-orm';
import { projects, webhookDeliveries, webhooks } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';

export function enqueueWebhookDeliveries(tx: Db, projectId: number, eventId: number, kind: string): void {
  // An archived project sends nothing (its events come only from work that bypasses access, such as a handover).
  const hooks = tx.select({ id: webhooks.id, events: webhooks.events }).from(webhooks).innerJoin(projects, eq(projects.id, webhooks.projectId))
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.active, true), eq(projects.archived, false))).all();
  for (const hook of hooks) {
    if (hook.events.length && !hook.events.includes(kind)) continue;
    const { id } = tx.insert(webhookDeliveries).values({ webhookId: hook.id, eventId }).returning({ id: webhookDeliveries.id }).get();
    enqueue(tx, 'webhook', id);
  }
}
