// The one place that decides who may do what. Every domain function asks here.
// For now every signed-in user may read and edit everything; grants and restricted
// spaces fill these functions in without any caller changing.
import { spaces } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { forbidden, notFound, unauthorized } from '../errors.ts';
import type { Viewer } from './viewer.ts';

export type { Viewer } from './viewer.ts';
export type Action = 'read' | 'edit' | 'admin';
export interface SpaceRef { id: number; visibility: 'org' | 'restricted' }

export function can(viewer: Viewer | null, action: Action, space: SpaceRef): boolean {
  if (!viewer) return false;
  if (viewer.admin) return true;
  return action !== 'admin';
}

/** Throws 404 (not 403) when the viewer may not read, so a hidden space does not leak. */
export function assertCan(viewer: Viewer | null, action: Action, space: SpaceRef): void {
  if (!viewer) throw unauthorized();
  if (!can(viewer, 'read', space)) throw notFound();
  if (!can(viewer, action, space)) throw forbidden();
}

export function readableSpaceIds(viewer: Viewer | null): number[] {
  if (!viewer) return [];
  return db().select({ id: spaces.id, visibility: spaces.visibility }).from(spaces).all()
    .filter((s) => can(viewer, 'read', s)).map((s) => s.id);
}
