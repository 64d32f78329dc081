// Groups (departments, teams) and their members; site admins manage them.
import { eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { groupMembers, groups, users } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { normalizeEmail } from '../auth/users.ts';
import { appendAudit } from './audit.ts';

const GROUP_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u;

export function validGroupName(raw: string): string {
  const name = raw.normalize('NFKC').trim();
  if (!GROUP_NAME.test(name)) throw badInput('A group name is 1–64 letters, digits, spaces, ".", "_" or "-"', { code: 'groupName' });
  return name;
}

export function addGroup(viewer: Viewer | null, rawName: string): { id: number } {
  assertSiteAdmin(viewer);
  const name = validGroupName(rawName);
  return write((tx) => {
    if (tx.select({ id: groups.id }).from(groups).where(eq(groups.name, name)).get()) throw conflict(`A group "${name}" already exists`, { code: 'groupExists', name });
    const row = tx.insert(groups).values({ name }).returning({ id: groups.id }).get();
    appendAudit(tx, viewer!, 'group.create', name, null, { name });
    return row;
  });
}

export function findGroup(name: string) {
  return db().select().from(groups).where(eq(groups.name, name)).get();
}

export function groupMemberEmails(groupId: number): string[] {
  return db().select({ email: users.email }).from(groupMembers).innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId)).orderBy(users.email).all().map((r) => r.email);
}

/** Replaces the members of a group with exactly these users. */
export function setGroupMembers(viewer: Viewer | null, name: string, emails: string[]): { emails: string[] } {
  assertSiteAdmin(viewer);
  const group = findGroup(name);
  if (!group) throw notFound();
  const wanted = [...new Set(emails.map(normalizeEmail))];
  return write((tx) => {
    const found = wanted.length ? tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.email, wanted)).all() : [];
    const missing = wanted.filter((e) => !found.some((u) => u.email === e));
    if (missing.length) throw badInput(`No such users: ${missing.join(', ')}`, { code: 'noSuchUsers', names: missing.join(', ') });
    const before = groupMemberEmails(group.id);
    tx.delete(groupMembers).where(eq(groupMembers.groupId, group.id)).run();
    for (const u of found) tx.insert(groupMembers).values({ groupId: group.id, userId: u.id }).run();
    const after = found.map((u) => u.email).sort();
    appendAudit(tx, viewer!, 'group.members', name, before, after);
    return { emails: after };
  });
}

export function listGroups(viewer: Viewer | null): { id: number; name: string; members: string[]; lead: string | null }[] {
  assertSiteAdmin(viewer);
  const lead = alias(users, 'lead');
  const rows = db().select({ id: groups.id, name: groups.name, email: users.email, lead: lead.email }).from(groups)
    .leftJoin(lead, eq(lead.id, groups.leadId))
    .leftJoin(groupMembers, eq(groupMembers.groupId, groups.id)).leftJoin(users, eq(users.id, groupMembers.userId))
    .orderBy(groups.name, users.email).all();
  const byId = new Map<number, { id: number; name: string; members: string[]; lead: string | null }>();
  for (const r of rows) {
    const group = byId.get(r.id) ?? byId.set(r.id, { id: r.id, name: r.name, members: [], lead: r.lead }).get(r.id)!;
    if (r.email) group.members.push(r.email);
  }
  return [...byId.values()];
}

/** Desk (issue 12): the group's lead, who hears when an item in its queue passes an SLA deadline; null for none. */
export function setGroupLead(viewer: Viewer | null, name: string, email: unknown): { lead: string | null } {
  assertSiteAdmin(viewer);
  const group = findGroup(name);
  if (!group) throw notFound();
  if (email !== null && typeof email !== 'string') throw badInput('lead is an email, or null for none');
  return write((tx) => {
    const lead = email === null ? null : tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, normalizeEmail(email))).get();
    if (lead === undefined) throw badInput(`No user "${String(email).slice(0, 254)}"`, { code: 'noUser', email: String(email).slice(0, 254) });
    tx.update(groups).set({ leadId: lead?.id ?? null }).where(eq(groups.id, group.id)).run();
    appendAudit(tx, viewer!, 'group.lead', name, group.leadId, lead?.id ?? null);
    return { lead: lead?.email ?? null };
  });
}
