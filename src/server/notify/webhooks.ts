// Project webhooks: which deliveries an event creates. Each delivery is a logged row plus an
// outbox row written in the event's transaction; src/server/notify/deliver.ts sends them after commit.
import { and, eq } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';

export function enqueueWebhookDeliveries(tx: Db, projectId: number, eventId: number, kind: string): void {
  const hooks = tx.select({ id: webhooks.id, events: webhooks.events }).from(webhooks)
    .where(and(eq(webhooks.projectId, projectId), eq(webhooks.active, true))).all();
  for (const hook of hooks) {
    if (hook.events.length && !hook.events.includes(kind)) continue;
    const { id } = tx.insert(webhookDeliveries).values({ webhookId: hook.id, eventId }).returning({ id: webhookDeliveries.id }).get();
    enqueue(tx, 'webhook', id);
  }
}
