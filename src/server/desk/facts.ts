// What a requirement's page and the API show about the desk: its deadlines and their state,
// whether the viewer may take it, and where the reporter's confirmation stands.
import type { Viewer } from '../access/index.ts';
import type { Project } from '../projects/projects.ts';
import type { Requirement } from '../requirements/load.ts';
import { slaFlags } from './escalation.ts';
import { confirmation, type Confirmation } from './resolution.ts';

export interface DeskFacts {
  respondBy: string | null; resolveBy: string | null; firstResponseAt: string | null; resolvedAt: string | null; confirmedAt: string | null;
  responseOverdue: boolean; resolveOverdue: boolean; escalated: boolean;
  /** The viewer may "take it": can edit, it is open, and it is not already theirs alone. */
  canClaim: boolean;
  confirmation: Confirmation;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Whether `viewer` (who can edit, or not) may take the item now. */
export const mayClaim = (viewer: Viewer | null, canEdit: boolean, req: Pick<Requirement, 'closedAt' | 'assigneeId' | 'groupId'>) =>
  viewer !== null && canEdit && req.closedAt === null && !(req.assigneeId === viewer.id && req.groupId === null);

export function deskFacts(viewer: Viewer | null, req: Requirement, project: Project, canEdit: boolean, now = Date.now()): DeskFacts {
  return {
    respondBy: iso(req.respondBy), resolveBy: iso(req.resolveBy), firstResponseAt: iso(req.firstResponseAt),
    resolvedAt: iso(req.resolvedAt), confirmedAt: iso(req.confirmedAt), ...slaFlags(req, now),
    canClaim: mayClaim(viewer, canEdit, req), confirmation: confirmation(viewer, req, project.confirmDays, now),
  };
}
