// How each person hears of each kind of notification: 'inbox' (only there), 'email' (at once) or
// 'digest' (in a daily e-mail). Every notification is in the inbox either way. The kinds are the
// inbox's own (notifications.kind), so a new kind gets a setting without a change here.
import { and, eq } from 'drizzle-orm';
import { notificationPrefs, notifications } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db, prepared, write } from '../db.ts';
import { badInput, unauthorized } from '../errors.ts';

export type NotificationKind = (typeof notifications.$inferSelect)['kind'];
export type Delivery = (typeof notificationPrefs.$inferSelect)['delivery'];
export type Prefs = Record<NotificationKind, Delivery>;

export const NOTIFICATION_KINDS = notifications.kind.enumValues as readonly NotificationKind[];
export const DELIVERIES = notificationPrefs.delivery.enumValues as readonly Delivery[];

/** Until a person chooses: e-mail at once for what is addressed to them, the inbox for the rest. */
const DIRECT: ReadonlySet<string> = new Set(['assigned', 'mentioned', 'nudged', 'overdue', 'page-mentioned', 'handover']);
export const defaultDelivery = (kind: string): Delivery => (DIRECT.has(kind) ? 'email' : 'inbox');

const stored = prepared((d) => d.$client.prepare<[number, string], Delivery>('select delivery from notification_prefs where user_id = ? and kind = ?').pluck());

export function deliveryFor(userId: number, kind: string): Delivery {
  return stored().get(userId, kind) ?? defaultDelivery(kind);
}

export function getPrefs(viewer: Viewer | null): Prefs {
  if (!viewer) throw unauthorized();
  const rows = db().select().from(notificationPrefs).where(eq(notificationPrefs.userId, viewer.id)).all();
  const chosen = new Map(rows.map((r) => [r.kind, r.delivery]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, chosen.get(k) ?? defaultDelivery(k)])) as Prefs;
}

/** Sets the kinds given (the others keep their setting); anything but known kinds and deliveries → 400, nothing saved. */
export function setPrefs(viewer: Viewer | null, input: unknown): Prefs {
  if (!viewer) throw unauthorized();
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw badInput('Send an object like {"assigned": "email", "commented": "digest"}');
  const entries = Object.entries(input);
  for (const [kind, delivery] of entries) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) throw badInput(`unknown notification kind "${kind.slice(0, 40)}"; kinds are ${NOTIFICATION_KINDS.join(', ')}`);
    if (!(DELIVERIES as readonly unknown[]).includes(delivery)) {
      // Named without String(): an object whose toString is not a function would throw.
      const given = typeof delivery === 'string' ? `"${delivery.slice(0, 40)}"` : `a value of type ${delivery === null ? 'null' : typeof delivery}`;
      throw badInput(`${kind}: ${given} is not one of ${DELIVERIES.join(', ')}`);
    }
  }
  write((tx) => {
    for (const [kind, delivery] of entries) {
      tx.insert(notificationPrefs).values({ userId: viewer.id, kind, delivery: delivery as Delivery })
        .onConflictDoUpdate({ target: [notificationPrefs.userId, notificationPrefs.kind], set: { delivery: delivery as Delivery } }).run();
    }
  });
  return getPrefs(viewer);
}

/** The kinds a person gets in their digest. */
export function digestKinds(userId: number): NotificationKind[] {
  const rows = db().select({ kind: notificationPrefs.kind }).from(notificationPrefs)
    .where(and(eq(notificationPrefs.userId, userId), eq(notificationPrefs.delivery, 'digest'))).all();
  return rows.map((r) => r.kind as NotificationKind).filter((k) => NOTIFICATION_KINDS.includes(k));
}
