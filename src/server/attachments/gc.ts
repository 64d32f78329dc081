// `npm run gc`: frees the attachment files nothing can reach any more. A file is kept while any
// attachment row that is not deleted names it (its page may be deleted: it can be restored) or
// any revision links to an attachment naming it (restoring that revision brings it back). Rows
// deleted on their own that no revision links to are removed first; then every stored file, and
// every display copy, that no kept row names goes. Files younger than `graceMs` are spared: an
// upload places its file a moment before the row naming it commits. A row no page has claimed (a
// file pasted into a page not saved yet, which its writer's draft may bring back days later) goes
// only after `pendingMs`.
import fs from 'node:fs';
import path from 'node:path';
import { db, write } from '../db.ts';
import { filesDir } from './store.ts';

export interface GcReport { rows: number; files: number; bytes: number; kept: number }

const HOUR = 3_600_000;
const DAYS_30 = 30 * 24 * HOUR;

export function collectGarbage(opts: { graceMs?: number; pendingMs?: number; now?: number } = {}): GcReport {
  const now = opts.now ?? Date.now();
  const before = now - (opts.graceMs ?? HOUR);
  const unclaimedBefore = now - Math.max(opts.pendingMs ?? DAYS_30, opts.graceMs ?? HOUR);
  const rows = write((tx) => tx.$client.prepare(
    `delete from attachments
     where ((deleted_at is not null and deleted_at < @before) or (page_id is null and created_at < @unclaimedBefore))
       and not exists (select 1 from revision_attachments ra where ra.attachment_id = attachments.id)`,
  ).run({ before, unclaimedBefore }).changes);
  const keep = new Set(db().$client.prepare<[], { sha256: string }>(
    `select distinct sha256 from attachments a
     where a.deleted_at is null or exists (select 1 from revision_attachments ra where ra.attachment_id = a.id)`,
  ).all().map((r) => r.sha256));

  const report: GcReport = { rows, files: 0, bytes: 0, kept: keep.size };
  const root = filesDir();
  if (!fs.existsSync(root)) return report;
  const remove = (file: string, stat: fs.Stats) => {
    fs.rmSync(file, { force: true });
    report.files++;
    report.bytes += stat.size;
  };
  for (const dir of fs.readdirSync(root, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    const folder = path.join(root, dir.name);
    for (const name of fs.readdirSync(folder)) {
      const file = path.join(folder, name);
      const stat = fs.statSync(file);
      if (!stat.isFile() || stat.mtimeMs >= before) continue;
      // files/ab/cdef… (originals), files/display/<sha> (display copies), files/tmp (abandoned uploads).
      const sha = /^[0-9a-f]{2}$/.test(dir.name) ? dir.name + name : dir.name === 'display' ? name.replace(/\.tmp$/, '') : null;
      if (dir.name === 'tmp' || (sha !== null && (!keep.has(sha) || name.endsWith('.tmp')))) remove(file, stat);
    }
  }
  return report;
}
