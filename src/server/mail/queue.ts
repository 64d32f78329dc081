// E-mail at once: when a notification is written for someone who wants this kind by e-mail, an
// outbox row (kind 'mail', subject = the notification's id) is written in the same transaction.
// The mail loop (send.ts) sends it after commit and retries while the SMTP server is down, so a
// save never waits for SMTP and a notification is not lost to it. Whether the person may still
// read what it is about is decided when it is sent.
import { smtpUrl } from '../config.ts';
import type { Db } from '../db.ts';
import { enqueue } from '../outbox.ts';
import { deliveryFor } from './prefs.ts';

/** Inside the transaction that wrote notification `notificationId` (no-op without DOSSIER_SMTP_URL). */
export function queueMail(tx: Db, userId: number, kind: string, notificationId: number | bigint): void {
  if (!smtpUrl() || deliveryFor(userId, kind) !== 'email') return;
  enqueue(tx, 'mail', Number(notificationId));
}
