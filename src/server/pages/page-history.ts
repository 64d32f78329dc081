// A page's history beside its revisions: the audit lines about the page that change no text —
// its owner, review date and verification ('page.ownership'), handovers ('page.handover'), and
// where it lives: moves, deletes and restores (move-page.ts) — found by the page's id (so they
// follow a move), shown to everyone who may read the page.
import type { Viewer } from '../access/index.ts';
import { prepared } from '../db.ts';
import { loadPage } from './get-page.ts';
import { listRevisions, type RevisionInfo } from './history.ts';

export const OWNERSHIP_FIELDS = ['owner', 'reviewBy', 'verifiedAt'] as const;
export type OwnershipField = (typeof OWNERSHIP_FIELDS)[number];
type Who = { name: string; email: string };

export const PAGE_EVENTS = ['page.ownership', 'page.handover', 'page.move', 'page.delete', 'page.restore'] as const;

export interface PageEvent {
  action: (typeof PAGE_EVENTS)[number];
  createdAt: number;
  author: Who | null;
  /** What changed, each from → to (owners as people, dates and paths as written; null: none). */
  changes: Partial<Record<OwnershipField | 'path', { from: string | null; to: string | null }>>;
  /** The people named in `changes.owner`, by e-mail, for showing their names. */
  people: Record<string, Who>;
}

export type HistoryEntry = ({ kind: 'revision' } & RevisionInfo) | ({ kind: 'event' } & PageEvent);

interface Row { action: PageEvent['action']; at: number; before: string | null; after: string | null; name: string | null; email: string | null }
const linesOf = prepared((d) => d.$client.prepare<[number], Row>(
  `select a.action, a.created_at as at, a.before, a.after, u.name, u.email from audit_log a left join users u on u.id = a.actor_id
   where a.page_id = ? and a.action in (${PAGE_EVENTS.map((a) => `'${a}'`).join(', ')}) order by a.id desc`,
));
const personByEmail = prepared((d) => d.$client.prepare<[string], Who>('select name, email from users where email = ?'));

const parse = (json: string | null): Record<string, unknown> => {
  const v: unknown = json === null ? null : JSON.parse(json);
  return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
};
const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** The events of a page (already checked readable), newest first. */
export function pageEvents(pageId: number): PageEvent[] {
  return linesOf().all(pageId).map((r) => {
    const [before, after] = [parse(r.before), parse(r.after)];
    const changes: PageEvent['changes'] = {};
    for (const f of [...OWNERSHIP_FIELDS, 'path'] as const) if (f in after) changes[f] = { from: text(before[f]), to: text(after[f]) };
    const people: Record<string, Who> = {};
    for (const email of [changes.owner?.from, changes.owner?.to]) {
      const p = email ? personByEmail().get(email) : undefined;
      if (p) people[p.email] = p;
    }
    return { action: r.action, createdAt: r.at, author: r.email === null ? null : { name: r.name ?? r.email, email: r.email }, changes, people };
  });
}

/** Revisions and events of a page in one list, newest first (a tie: the revision first). */
export function pageHistory(viewer: Viewer | null, spaceKey: string, path: string): HistoryEntry[] {
  const { page } = loadPage(viewer, spaceKey, path);
  const entries: HistoryEntry[] = [
    ...listRevisions(viewer, spaceKey, path).map((r) => ({ kind: 'revision' as const, ...r })),
    ...pageEvents(page.id).map((c) => ({ kind: 'event' as const, ...c })),
  ];
  // A stable sort keeps each kind's own newest-first order.
  return entries.sort((a, b) => b.createdAt - a.createdAt);
}
