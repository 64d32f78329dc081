// The one place that decides who may do what. Every domain function asks here.
// Site admins may do everything. An `org` space is readable by every signed-in user; beyond
// that, roles come from grants to the user or to a group the user belongs to.
import { spaces } from '../../../db/schema.ts';
import { db, prepared } from '../db.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';
import type { Viewer } from './viewer.ts';

export type { Viewer } from './viewer.ts';
export type Action = 'read' | 'edit' | 'admin';
export type Role = 'reader' | 'editor' | 'admin';
export interface SpaceRef { id: number; visibility: 'org' | 'restricted' }

const RANK: Record<Role, number> = { reader: 1, editor: 2, admin: 3 };
const NEEDS: Record<Action, number> = { read: 1, edit: 2, admin: 3 };
export const ROLES: Role[] = ['reader', 'editor', 'admin'];

const grantedRoles = prepared((d) => d.$client.prepare<[number, number], { spaceId: number; role: Role }>(
  `select space_id as spaceId, role from grants where user_id = ?
   union all
   select g.space_id, g.role from grants g join group_members m on m.group_id = g.group_id where m.user_id = ?`,
));

/** The viewer's strongest role per space from grants (direct or through groups). */
function rolesFromGrants(viewer: Viewer): Map<number, Role> {
  const roles = new Map<number, Role>();
  for (const { spaceId, role } of grantedRoles().all(viewer.id, viewer.id)) {
    const had = roles.get(spaceId);
    if (!had || RANK[role] > RANK[had]) roles.set(spaceId, role);
  }
  return roles;
}

export function spaceRole(viewer: Viewer | null, space: SpaceRef, granted = viewer ? rolesFromGrants(viewer) : undefined): Role | null {
  if (!viewer) return null;
  if (viewer.admin) return 'admin';
  const role = granted!.get(space.id) ?? null;
  if (space.visibility === 'org' && !role) return 'reader';
  return role;
}

export function can(viewer: Viewer | null, action: Action, space: SpaceRef): boolean {
  const role = spaceRole(viewer, space);
  return role !== null && RANK[role] >= NEEDS[action];
}

/** 401 for anonymous, 404 (not 403) when the viewer may not read, so a hidden space does not leak; else 403. */
export function assertCan(viewer: Viewer | null, action: Action, space: SpaceRef): void {
  if (!viewer) throw unauthorized();
  const role = spaceRole(viewer, space);
  if (role === null) throw notFound();
  if (RANK[role] < NEEDS[action]) throw forbidden();
}

export function assertSiteAdmin(viewer: Viewer | null): void {
  if (!viewer) throw unauthorized();
  if (!viewer.admin) throw forbidden('Only site admins may do this');
}

export function readableSpaceIds(viewer: Viewer | null): number[] {
  if (!viewer) return [];
  const granted = viewer.admin ? new Map<number, Role>() : rolesFromGrants(viewer);
  return db().select({ id: spaces.id, visibility: spaces.visibility }).from(spaces).all()
    .filter((s) => spaceRole(viewer, s, granted) !== null).map((s) => s.id);
}
