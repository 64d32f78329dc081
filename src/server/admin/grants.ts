// Who has which role on a space. Space admins manage their own space; site admins every space.
import { and, eq, isNotNull } from 'drizzle-orm';
import { grants, groupMembers, groups, users } from '../../../db/schema.ts';
import { assertCan, ROLES, type Role, type Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput } from '../errors.ts';
import { normalizeEmail } from '../auth/users.ts';
import { getSpace } from '../spaces/spaces.ts';
import { appendAudit } from './audit.ts';

export interface GrantInput { user?: string; group?: string; role: Role }

function grantsOf(spaceId: number): GrantInput[] {
  return db().select({ user: users.email, group: groups.name, role: grants.role }).from(grants)
    .leftJoin(users, eq(users.id, grants.userId)).leftJoin(groups, eq(groups.id, grants.groupId))
    .where(eq(grants.spaceId, spaceId)).all()
    .map((g) => (g.user ? { user: g.user, role: g.role } : { group: g.group!, role: g.role }))
    .sort((a, b) => (a.user ?? `~${a.group}`).localeCompare(b.user ?? `~${b.group}`));
}

export function spaceGrants(viewer: Viewer | null, key: string): GrantInput[] {
  const space = getSpace(viewer, key);
  assertCan(viewer, 'manage', space);
  return grantsOf(space.id);
}

/** Replaces the space's grants with exactly this list. */
export function setGrants(viewer: Viewer | null, key: string, list: GrantInput[]): GrantInput[] {
  const space = getSpace(viewer, key);
  assertCan(viewer, 'manage', space);
  return write((tx) => {
    const rows = list.map((g) => {
      if (!ROLES.includes(g.role)) throw badInput(`A role is one of ${ROLES.join(', ')}`);
      if ((g.user === undefined) === (g.group === undefined)) throw badInput('Each grant names either a user or a group', { code: 'grantTarget' });
      if (g.user !== undefined) {
        const user = tx.select({ id: users.id }).from(users).where(eq(users.email, normalizeEmail(g.user))).get();
        if (!user) throw badInput(`No user "${g.user}"`, { code: 'noUser', email: g.user });
        return { spaceId: space.id, userId: user.id, groupId: null, role: g.role };
      }
      const group = tx.select({ id: groups.id }).from(groups).where(eq(groups.name, g.group!)).get();
      if (!group) throw badInput(`No group "${g.group}"`, { code: 'noGroup', name: g.group });
      return { spaceId: space.id, userId: null, groupId: group.id, role: g.role };
    });
    const keyOf = (r: { userId: number | null; groupId: number | null }) => `${r.userId}:${r.groupId}`;
    if (new Set(rows.map(keyOf)).size !== rows.length) throw badInput('A user or group appears twice', { code: 'grantTwice' });
    const before = grantsOf(space.id);
    tx.delete(grants).where(eq(grants.spaceId, space.id)).run();
    for (const r of rows) tx.insert(grants).values(r).run();
    const after = grantsOf(space.id);
    appendAudit(tx, viewer!, 'space.grants', space.key, before, after);
    return after;
  });
}

export type AccessReason = { kind: 'site-admin' } | { kind: 'org' } | { kind: 'direct'; role: Role } | { kind: 'group'; group: string; role: Role };
export interface AccessRow { email: string; name: string; role: Role; reasons: AccessReason[] }

const RANK: Record<Role, number> = { reader: 1, editor: 2, admin: 3 };
const roleOf = (r: AccessReason): Role => (r.kind === 'site-admin' ? 'admin' : r.kind === 'org' ? 'reader' : r.role);

/** Every active user who can read the space, with their effective role and each reason for it. */
export function spaceAccessReport(viewer: Viewer | null, key: string): AccessRow[] {
  const space = getSpace(viewer, key);
  assertCan(viewer, 'manage', space);
  const d = db();
  const reasons = new Map<number, AccessReason[]>();
  const add = (userId: number, reason: AccessReason) => reasons.set(userId, [...(reasons.get(userId) ?? []), reason]);
  const people = d.select({ id: users.id, email: users.email, name: users.name, admin: users.admin }).from(users).where(eq(users.active, true)).all();
  for (const u of people) {
    if (u.admin) add(u.id, { kind: 'site-admin' });
    if (space.visibility === 'org') add(u.id, { kind: 'org' });
  }
  for (const g of d.select({ userId: grants.userId, role: grants.role }).from(grants).where(and(eq(grants.spaceId, space.id), isNotNull(grants.userId))).all()) {
    add(g.userId!, { kind: 'direct', role: g.role });
  }
  const viaGroups = d.select({ userId: groupMembers.userId, group: groups.name, role: grants.role }).from(grants)
    .innerJoin(groups, eq(groups.id, grants.groupId)).innerJoin(groupMembers, eq(groupMembers.groupId, groups.id))
    .where(eq(grants.spaceId, space.id)).orderBy(groups.name).all();
  for (const g of viaGroups) add(g.userId, { kind: 'group', group: g.group, role: g.role });
  return people.filter((u) => reasons.has(u.id)).sort((a, b) => a.email.localeCompare(b.email)).map((u) => {
    const why = reasons.get(u.id)!;
    const role = why.map(roleOf).reduce((best, r) => (RANK[r] > RANK[best] ? r : best));
    return { email: u.email, name: u.name, role, reasons: why };
  });
}
