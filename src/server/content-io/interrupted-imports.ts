// Imports that stopped before they finished: the server stopped during one (a crash, a restart) or
// its job died. The pages it had committed stay in the new space, which may therefore be missing
// pages, so the site admins are told (Admin → Spaces and the space's settings) until they keep the
// space as it is or delete it. Both facts are audit entries, where an admin looks for what
// happened: `space.import.cut` (with the space's id, so that a new space under the same key is not
// taken for it) and `space.import.kept`.
import type { Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { assertSiteAdminOr404 } from '../admin/holdings.ts';
import { db, write } from '../db.ts';
import { DomainError, notFound } from '../errors.ts';
import { findSpace } from '../spaces/spaces.ts';

export interface InterruptedImport { space: string; name: string; pages: number; startedAt: string; stoppedAt: string }

/** Who started an import of which space, and when: enough to record it as cut off later. */
export interface ImportStart { space: string; importerId: number; startedAt: number }

const livePages = (spaceId: number) =>
  (db().$client.prepare('select count(*) as n from pages where space_id = ? and deleted_at is null').get(spaceId) as { n: number }).n;

/**
 * Records `start` as cut off, when the import got as far as creating its space (a space under that
 * key created since it started); the pages it stored. Null when there is no such space: then
 * nothing was left behind.
 */
export function recordCutImport(start: ImportStart): number | null {
  const space = findSpace(start.space);
  if (!space || space.createdAt < start.startedAt) return null;
  const pages = livePages(space.id);
  write((tx) => appendAudit(tx, { id: start.importerId }, 'space.import.cut', space.key, null, { spaceId: space.id, startedAt: new Date(start.startedAt).toISOString(), pages }));
  return pages;
}

/** What an import request answers when its job stopped before it finished. */
export function importCut(space: string, pages: number): DomainError {
  return new DomainError(500, `The import of "${space}" stopped before it finished: ${pages} pages were stored. Admin → Spaces says what to do.`, { code: 'importCut', key: space, pages });
}

const CUT = `select s.key as space, s.name, s.id, json_extract(a.after, '$.startedAt') as startedAt, a.created_at as stoppedAt
  from audit_log a join spaces s on s.id = json_extract(a.after, '$.spaceId')
  where a.action = 'space.import.cut'
    and not exists (select 1 from audit_log k where k.action = 'space.import.kept' and json_extract(k.after, '$.spaceId') = s.id)
  order by a.id`;

/** The spaces an import left unfinished that are still there and not kept (site admins; 404 for anyone else). */
export function interruptedImports(viewer: Viewer | null): InterruptedImport[] {
  assertSiteAdminOr404(viewer);
  return db().$client.prepare<[], { space: string; name: string; id: number; startedAt: string; stoppedAt: number }>(CUT).all()
    .map(({ id, stoppedAt, ...r }) => ({ ...r, pages: livePages(id), stoppedAt: new Date(stoppedAt).toISOString() }));
}

/** Keeps the space an import left unfinished as it is: it is no longer said to be unfinished. 404 unless it is one. */
export function keepInterruptedImport(viewer: Viewer | null, key: string): { kept: string; pages: number } {
  const cut = interruptedImports(viewer).find((i) => i.space === key);
  if (!cut) throw notFound();
  write((tx) => appendAudit(tx, viewer!, 'space.import.kept', key, null, { spaceId: findSpace(key)!.id, pages: cut.pages }));
  return { kept: key, pages: cut.pages };
}
