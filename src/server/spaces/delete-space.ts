// Deleting a space for good: the end of an archived space's life, or the cleanup of an import that
// was cut off. Only a site admin, only an archived space (archiving already took it out of lists,
// search and writes, so nobody is surprised and nothing changes while its copy is written), and
// only with its key typed again. Before any row goes, two copies are kept in <data>/deleted-spaces/,
// fsynced: the space's export (export-space.ts: pages, attachments, a project's requirements), which
// imports again, and every row about to be deleted (revisions, comments, requirement history and
// the rest) in a SQLite file of the same tables, so that nothing is lost with the space.
// Then every row of the space, its pages and its project goes in one transaction, and the search
// index is told through the outbox. Links to its pages elsewhere then show as links to missing
// pages (they are resolved when shown). Attachment files no other row names are freed by `npm run gc`.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Database } from 'better-sqlite3';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { appendAudit } from '../admin/audit.ts';
import { fsyncPath } from '../attachments/store.ts';
import { dataDir } from '../config.ts';
import { exportSpace } from '../content-io/export-space.ts';
import { db, write } from '../db.ts';
import { conflict, DomainError, notFound } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { getSpace, type Space } from './spaces.ts';

export const deletedSpacesDir = () => path.join(dataDir(), 'deleted-spaces');

export interface DeletedSpace { deleted: string; pages: number; requirements: number; attachments: number; copy: string; rows: string }

// What belongs to the space, as subqueries of :space (its id). Soft-deleted pages too: they go with it.
const PAGES = 'select id from pages where space_id = :space';
const PROJECTS = 'select id from projects where space_id = :space';
const REQUIREMENTS = `select id from requirements where project_id in (${PROJECTS})`;
const EVENTS = `select id from requirement_events where requirement_id in (${REQUIREMENTS})`;
const WEBHOOKS = `select id from webhooks where project_id in (${PROJECTS})`;

/** Which rows of a table belong to the space: `where` over :space, the space's id. */
interface SpaceRows { table: string; where: string }

// Every row of the space, its pages and its project, in order: each row goes before the rows it
// refers to (foreign keys are on, so a reference this list missed fails the transaction instead of
// leaving a row behind). Rows that would go by cascade (grants, drafts, watchers…) are named too,
// so that the copy of the rows holds them.
const ROWS: SpaceRows[] = [
  // Search and delivery work about the space: indexing is asked again below, as a removal.
  {
    table: 'outbox',
    where: `(kind = 'index-page' and cast(subject as integer) in (${PAGES}))
      or (kind = 'index-requirement' and cast(subject as integer) in (${REQUIREMENTS}))
      or (kind = 'webhook' and cast(subject as integer) in (select id from webhook_deliveries where webhook_id in (${WEBHOOKS})))`,
  },
  { table: 'webhook_deliveries', where: `webhook_id in (${WEBHOOKS}) or event_id in (${EVENTS})` },
  { table: 'notifications', where: `page_id in (${PAGES}) or requirement_id in (${REQUIREMENTS}) or event_id in (${EVENTS})` },
  { table: 'requirement_links', where: `page_id in (${PAGES}) or requirement_id in (${REQUIREMENTS})` },
  ...['watchers', 'requirement_viewers', 'due_reminders', 'requirement_events'].map((table) => ({ table, where: `requirement_id in (${REQUIREMENTS})` })),
  { table: 'requirements', where: `project_id in (${PROJECTS})` },
  ...['webhooks', 'routing_rules', 'categories', 'saved_views', 'project_phase_events'].map((table) => ({ table, where: `project_id in (${PROJECTS})` })),
  { table: 'projects', where: 'space_id = :space' },
  {
    table: 'revision_attachments',
    where: `attachment_id in (select id from attachments where page_id in (${PAGES})) or revision_id in (select id from revisions where page_id in (${PAGES}))`,
  },
  ...['attachments', 'revisions', 'page_mentions', 'review_reminders', 'page_comments', 'page_watches', 'page_visits'].map((table) => ({ table, where: `page_id in (${PAGES})` })),
  { table: 'links', where: `from_page_id in (${PAGES})` },
  ...['grants', 'space_templates', 'space_watches', 'drafts', 'page_redirects', 'pages'].map((table) => ({ table, where: 'space_id = :space' })),
  { table: 'spaces', where: 'id = :space' },
];

// The audit log keeps its entries; they no longer point at a page.
const UNLINK_AUDIT = `update audit_log set page_id = null where page_id in (${PAGES})`;

/** Deletes the archived space `key` for good (site admins), after keeping a copy of it. */
export async function deleteSpace(viewer: Viewer | null, key: string, confirm: unknown): Promise<DeletedSpace> {
  const space = getSpace(viewer, key); // the same 404 for a space this viewer cannot read
  assertSiteAdmin(viewer);
  assertDeletable(space, confirm);
  const name = `${space.key}-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const copy = await keepCopy(viewer!, space, `${name}.zip`);
  // From here to the commit without a pause: nothing of ours writes between the copy of the rows
  // and their deletion.
  const { file: rows, counts } = keepRows(space, `${name}.sqlite`);
  const result = write((tx) => {
    const client = tx.$client;
    const now = client.prepare<[number], { archived: number }>('select archived from spaces where id = ?').get(space.id);
    if (!now) throw notFound(); // deleted meanwhile
    if (!now.archived) throw notArchived(space.key); // unarchived while the copy was written
    const ids = (sql: string) => client.prepare<{ space: number }, { id: number }>(sql).all({ space: space.id }).map((r) => r.id);
    const pageIds = ids(PAGES);
    const requirementIds = ids(REQUIREMENTS);
    const attachments = client.prepare<{ space: number }, { n: number }>(`select count(*) as n from attachments where page_id in (${PAGES}) and deleted_at is null`).get({ space: space.id })!.n;
    const livePages = client.prepare<{ space: number }, { n: number }>('select count(*) as n from pages where space_id = :space and deleted_at is null').get({ space: space.id })!.n;
    withHistoryPurge(client, () => {
      client.prepare(UNLINK_AUDIT).run({ space: space.id });
      for (const { table, where } of ROWS) {
        const gone = client.prepare(`delete from ${table} where ${where}`).run({ space: space.id }).changes;
        // Another process wrote to the space after its rows were copied: delete nothing rather than more than the copy holds.
        if (gone !== counts.get(table)) throw conflict('The space changed while its copy was written; delete it again', { code: 'spaceChanged', key: space.key });
      }
    });
    // The index drops what it holds of them: the indexer finds the rows gone.
    const queue = client.prepare<[string, string]>('insert into outbox (kind, subject) values (?, ?)');
    for (const id of pageIds) queue.run('index-page', String(id));
    for (const id of requirementIds) queue.run('index-requirement', String(id));
    const deleted: DeletedSpace = { deleted: space.key, pages: livePages, requirements: requirementIds.length, attachments, copy, rows };
    appendAudit(tx, viewer!, 'space.delete', space.key, { name: space.name, kind: space.kind, visibility: space.visibility }, deleted);
    return deleted;
  });
  wakeOutbox();
  return result;
}

/**
 * Runs `purge` with the append-only guards of the history tables (db/migrations/0002) lifted, and
 * puts them back exactly as they were, all inside the caller's transaction: this deliberate,
 * audited deletion is the one writer allowed past them; every other path still meets them.
 */
function withHistoryPurge(client: Database, purge: () => void): void {
  const guards = client.prepare<[], { name: string; sql: string }>(
    `select name, sql from sqlite_master where type = 'trigger' and tbl_name in ('requirement_events', 'audit_log')`,
  ).all();
  for (const g of guards) client.exec(`drop trigger "${g.name}"`);
  purge();
  for (const g of guards) client.exec(g.sql);
}

function notArchived(key: string): DomainError {
  return conflict('Archive the space before deleting it', { code: 'spaceNotArchived', key });
}

function assertDeletable(space: Space, confirm: unknown): void {
  if (!space.archived) throw notArchived(space.key);
  if (confirm !== space.key) throw new DomainError(422, `confirm: type the space's key, ${space.key}, to delete it`, { code: 'spaceDeleteConfirm', field: 'confirm', key: space.key });
}

/** The space's export, written to deleted-spaces/ and fsynced before anything is deleted; its path in the data folder. */
async function keepCopy(viewer: Viewer, space: Space, name: string): Promise<string> {
  const dir = deletedSpacesDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  const { stream } = exportSpace(viewer, space.key, '');
  try {
    await pipeline(stream, fs.createWriteStream(`${file}.tmp`, { flags: 'wx' }));
    await fsyncPath(`${file}.tmp`);
    fs.renameSync(`${file}.tmp`, file);
    await fsyncPath(dir);
  } catch (err) {
    fs.rmSync(`${file}.tmp`, { force: true });
    throw err;
  }
  return path.relative(dataDir(), file);
}

/**
 * Every row ROWS names, copied into a new SQLite file in deleted-spaces/ (a table of the same name
 * and columns for each), committed, fsynced and renamed into place: the history the export leaves
 * out (revisions, comments, requirement events, grants, webhooks…). Synchronous, so that no write
 * of ours comes between this copy and the deletion. Its path in the data folder, and the rows per table.
 */
function keepRows(space: Space, name: string): { file: string; counts: Map<string, number> } {
  const client = db().$client;
  const file = path.join(deletedSpacesDir(), name);
  const counts = new Map<string, number>();
  client.prepare('attach database ? as kept').run(`${file}.tmp`);
  try {
    client.pragma('kept.journal_mode = delete'); // not the main database's WAL: one self-contained file
    client.pragma('kept.synchronous = full');
    client.transaction(() => {
      for (const { table, where } of ROWS) {
        client.exec(`create table kept.${table} as select * from main.${table} where 0`);
        counts.set(table, client.prepare(`insert into kept.${table} select * from main.${table} where ${where}`).run({ space: space.id }).changes);
      }
    })();
  } catch (err) {
    client.exec('detach database kept');
    fs.rmSync(`${file}.tmp`, { force: true });
    throw err;
  }
  client.exec('detach database kept');
  fs.renameSync(`${file}.tmp`, file);
  fsyncSync(deletedSpacesDir());
  return { file: path.relative(dataDir(), file), counts };
}

function fsyncSync(p: string): void {
  const fd = fs.openSync(p, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}
