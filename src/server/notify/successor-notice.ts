// After a handover each successor gets ONE inbox item saying what they received (counts per kind),
// from whom and by whom, linking to their open work (/my); e-mail or digest follow their
// notification preferences (kind 'handover'). The item keeps the ids of what was handed over and
// counts, when shown, only what the successor may read then: a page in a space they cannot read
// is not even counted.
import { notifications } from '../../../db/schema.ts';
import { readableRequirementIds, type SpaceRef, type Viewer } from '../access/index.ts';
import { prepared, type Db } from '../db.ts';
import { queueMail } from '../mail/queue.ts';

/** What one successor received: ids where access decides what is shown, counts for the rest. */
export interface Received {
  requirements: number[]; pages: number[]; projects: number[]; spaces: number[];
  groups: number; rules: number; watches: number; webhooks: number;
}
export type ReceivedKind = keyof Received;
export const RECEIVED_KINDS: readonly ReceivedKind[] = ['requirements', 'projects', 'spaces', 'pages', 'groups', 'rules', 'watches', 'webhooks'];

const size = (v: number[] | number) => (Array.isArray(v) ? v.length : v);

/** In the handover's transaction: one notification per successor who received anything. */
export function noticeSuccessors(tx: Db, actor: Viewer, from: { email: string; name: string }, bySuccessor: Map<number, Received>): void {
  for (const [userId, received] of bySuccessor) {
    if (RECEIVED_KINDS.every((k) => size(received[k]) === 0)) continue;
    const { id } = tx.insert(notifications).values({ userId, kind: 'handover', actorId: actor.id, data: { from, received } })
      .returning({ id: notifications.id }).get();
    queueMail(tx, userId, 'handover', id);
  }
}

const pageSpace = prepared((d) => d.$client.prepare<[number], SpaceRef>(
  'select s.id, s.visibility from pages p join spaces s on s.id = p.space_id where p.id = ? and p.deleted_at is null'));
const projectSpace = prepared((d) => d.$client.prepare<[number], SpaceRef>(
  'select s.id, s.visibility from projects p join spaces s on s.id = p.space_id where p.id = ?'));
const spaceRef = prepared((d) => d.$client.prepare<[number], SpaceRef>('select id, visibility from spaces where id = ?'));

export interface HandoverFacts { from: { email: string; name: string }; received: Partial<Record<ReceivedKind, number>> }

/** What a handover item shows the viewer now: counts of what they may read (kinds left at 0 are left out); null: nothing. */
export function handoverFacts(viewer: Viewer, data: Record<string, unknown>, readable: (space: SpaceRef) => boolean): HandoverFacts | null {
  const stored = (data.received ?? {}) as Partial<Received>;
  const ids = (k: 'requirements' | 'pages' | 'projects' | 'spaces') => (Array.isArray(stored[k]) ? stored[k].filter(Number.isSafeInteger) : []);
  const inReadable = (list: number[], spaceOf: (id: number) => SpaceRef | undefined) => list.filter((id) => { const s = spaceOf(id); return s !== undefined && readable(s); }).length;
  const counts: Record<ReceivedKind, number> = {
    requirements: readableRequirementIds(viewer, ids('requirements')).size,
    projects: inReadable(ids('projects'), (id) => projectSpace().get(id)),
    spaces: inReadable(ids('spaces'), (id) => spaceRef().get(id)),
    pages: inReadable(ids('pages'), (id) => pageSpace().get(id)),
    groups: Number(stored.groups) || 0, rules: Number(stored.rules) || 0, watches: Number(stored.watches) || 0, webhooks: Number(stored.webhooks) || 0,
  };
  const received = Object.fromEntries(RECEIVED_KINDS.filter((k) => counts[k] > 0).map((k) => [k, counts[k]]));
  const from = data.from as HandoverFacts['from'] | undefined;
  if (!from || typeof from.email !== 'string' || !Object.keys(received).length) return null;
  return { from: { email: from.email, name: typeof from.name === 'string' ? from.name : from.email }, received };
}
