// The audit log: every change to users, groups, grants and space settings, appended in the
// same transaction as the change. Nothing in the app updates or deletes these rows.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { auditLog, users } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { db, type Db } from '../db.ts';
import { wholeNumber } from '../params.ts';
import type { AuditAction } from '../../i18n/audit.ts';

/** `pageId`: the page the line is about, so that page's history shows it (page-history.ts). */
export function appendAudit(tx: Db, actor: Pick<Viewer, 'id'>, action: AuditAction, subject: string, before: unknown, after: unknown, pageId?: number): void {
  tx.insert(auditLog).values({ actorId: actor.id, action, subject, before: before ?? null, after: after ?? null, pageId }).run();
}

export interface AuditEntry { id: number; actor: string | null; action: string; subject: string; before: unknown; after: unknown; at: string }

export function listAudit(viewer: Viewer | null, filter: { actor?: string; action?: string; limit?: number }): AuditEntry[] {
  assertSiteAdmin(viewer);
  wholeNumber('limit', filter.limit, 1);
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(users.email, filter.actor.trim().toLowerCase()));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  return db().select({ id: auditLog.id, actor: users.email, action: auditLog.action, subject: auditLog.subject, before: auditLog.before, after: auditLog.after, at: auditLog.at })
    .from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id)).limit(Math.min(filter.limit ?? 200, 1000)).all()
    .map((e) => ({ ...e, at: new Date(e.at).toISOString() }));
}

/** The actions in the log, for the audit page's filter: each that has happened (read off its index), none that has not. */
export function auditActions(viewer: Viewer | null): string[] {
  assertSiteAdmin(viewer);
  return db().$client.prepare<[], string>('select distinct action from audit_log order by action').pluck().all();
}
