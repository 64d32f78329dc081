// Deleting a space for good (src/server/spaces/delete-space.ts) against a real SQLite file and the
// test Meilisearch: only a site admin, only an archived space, only with its key typed again; a copy
// kept first that imports again; every row of the space, its pages and its project gone (foreign keys
// on), nothing of it left in the index, other spaces' pages and requirements untouched.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { auditActions, listAudit } from '../../src/server/admin/audit.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { createSpace } from '../../src/server/admin/spaces.ts';
import { setSpaceArchived } from '../../src/server/archive/archive.ts';
import { uploadAttachment } from '../../src/server/attachments/upload.ts';
import { postComment } from '../../src/server/comments/comments.ts';
import { importArchive } from '../../src/server/content-io/import-archive.ts';
import { db } from '../../src/server/db.ts';
import { deletePage } from '../../src/server/pages/move-page.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { commentOn } from '../../src/server/requirements/comment.ts';
import { linkPage } from '../../src/server/requirements/links.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { getRequirement } from '../../src/server/requirements/view.ts';
import { searchIndex } from '../../src/server/search/client.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { deleteSpace } from '../../src/server/spaces/delete-space.ts';
import { getSpace } from '../../src/server/spaces/spaces.ts';
import { setPageWatch } from '../../src/server/watching/watches.ts';
import { multipart, png } from '../fixtures/attachments.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let dataDir = '';
let admin: Viewer;
let member: Viewer; // li.lei: admin of the project space, not a site admin

const count = (sql: string, ...args: unknown[]) => (db().$client.prepare(sql).get(...args) as { n: number }).n;
/** Rows per table of a SQLite database (the site's own by default). */
const tableCounts = (client = db().$client) => new Map(client.prepare<[], { name: string }>(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`).all()
  .map(({ name }) => [name, (client.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n]));
const spaceRows = () => count('select count(*) as n from spaces where key = ?', 'tun');
/** What Meilisearch itself holds of space `tun`, not what search shows (which checks live rows too). */
const indexed = async () => (await searchIndex()!.search('', { filter: 'spaceKey = "tun"', limit: 50 })).hits.map((h) => h.docKey as string);

beforeAll(async () => {
  ({ dataDir, admin, member } = await freshEnvironment('delete_space'));
  createProject(admin, { key: 'TUN', name: 'Tundra project', owner: 'li.lei@example.com', visibility: 'restricted' });
  createProject(admin, { key: 'OTH', name: 'Other project', owner: 'li.lei@example.com' });
  setGrants(admin, 'tun', [{ user: 'li.lei@example.com', role: 'admin' }]);
  // The space of project TUN, with history, a deleted page, an attachment, a comment, a watch.
  await savePage(member, { space: 'tun', path: 'plan', title: 'Permafrost plan', markdown: 'The permafrost plan, first draft.' });
  await savePage(member, { space: 'tun', path: 'plan', title: 'Permafrost plan', markdown: 'The permafrost plan, second draft.', baseRevision: 1 });
  const { contentType, body } = multipart('冻土 map.png', await png(30, 20, 7));
  const file = await uploadAttachment(member, 'tun', 'plan', { 'content-type': contentType }, Readable.from([body]));
  await savePage(member, { space: 'tun', path: 'plan', title: 'Permafrost plan', markdown: `The permafrost plan.\n\n![map](${file.url})`, baseRevision: 2 });
  await savePage(member, { space: 'tun', path: 'old', title: 'Permafrost old notes', markdown: 'Gone before.' });
  deletePage(member, 'tun', 'old');
  await postComment(member, 'tun', 'plan', { markdown: 'Permafrost looks right @admin@example.com' });
  setPageWatch(admin, 'tun', 'plan', true);
  await submitRequirement(member, 'TUN', { title: 'Permafrost sensor', category: 'feature' });
  commentOn(member, 'TUN-1', { comment: 'Sensor chosen.' });
  linkPage(member, 'TUN-1', { space: 'tun', path: 'plan', relation: 'plan' });
  // Outside it: a page that links to its plan, and another project's requirement linked to it.
  await savePage(admin, { space: 'eng', path: 'tundra-links', title: 'Links north', markdown: 'See [[tun:Permafrost plan]].' });
  await submitRequirement(admin, 'OTH', { title: 'Other sensor', category: 'feature' });
  linkPage(admin, 'OTH-1', { space: 'tun', path: 'plan', relation: 'plan' });
  await drainOutbox();
  expect(await indexed()).toEqual(expect.arrayContaining([expect.stringMatching(/^page-/), expect.stringMatching(/^req-/)]));
});

describe('who may delete a space, and when', () => {
  it('answers a reader who cannot see it exactly as for a space that does not exist', async () => {
    setGrants(admin, 'tun', []); // TUN is restricted: li.lei no longer sees it
    const hidden = await failure(() => deleteSpace(member, 'tun', 'tun'));
    const missing = await failure(() => deleteSpace(member, 'no-such-space', 'no-such-space'));
    expect([hidden.status, hidden.message]).toEqual([404, 'Not found']);
    expect([missing.status, missing.message]).toEqual([404, 'Not found']);
    setGrants(admin, 'tun', [{ user: 'li.lei@example.com', role: 'admin' }]);
  });

  it('refuses the space’s own admin: only site admins delete spaces', async () => {
    const err = await failure(() => deleteSpace(member, 'tun', 'tun'));
    expect([err.status, err.extra?.code]).toEqual([403, 'adminOnly']);
  });

  it('refuses a space that is not archived, and a confirmation that is not its key; nothing changes', async () => {
    const live = await failure(() => deleteSpace(admin, 'tun', 'tun'));
    expect([live.status, live.extra?.code]).toEqual([409, 'spaceNotArchived']);
    setSpaceArchived(admin, 'tun', true);
    for (const typed of ['', 'TUN', 'tun ', 'eng', 42]) {
      const err = await failure(() => deleteSpace(admin, 'tun', typed));
      expect([err.status, err.extra?.code, err.extra?.field], String(typed)).toEqual([422, 'spaceDeleteConfirm', 'confirm']);
    }
    expect(spaceRows()).toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'deleted-spaces'))).toBe(false); // no copy written for a refusal
  });
});

describe('deleting it', () => {
  let copy = '';
  let rows = '';
  let before = new Map<string, number>();

  it('keeps a copy, then deletes every row of the space, its pages and its project', async () => {
    before = tableCounts();
    const result = await deleteSpace(admin, 'tun', 'tun');
    copy = result.copy;
    rows = result.rows;
    expect(result).toMatchObject({ deleted: 'tun', pages: 1, requirements: 1, attachments: 1 });
    expect(copy).toMatch(/^deleted-spaces\/tun-\d{4}-\d\d-\d\dT[\d-]+Z\.zip$/);
    expect(fs.statSync(path.join(dataDir, copy)).size).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(dataDir, 'deleted-spaces')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    expect(spaceRows()).toBe(0);
    expect(count(`select count(*) as n from pages where title like 'Permafrost%'`)).toBe(0);
    expect(count(`select count(*) as n from projects where key = 'TUN'`)).toBe(0);
    expect(count(`select count(*) as n from requirements where title = 'Permafrost sensor'`)).toBe(0);
    expect(count('select count(*) as n from attachments')).toBe(0);
    expect(count(`select count(*) as n from page_comments`)).toBe(0);
    expect(count(`select count(*) as n from page_watches`)).toBe(0);
    expect(count(`select count(*) as n from notifications where page_id is not null`)).toBe(0);
    expect(db().$client.pragma('foreign_key_check')).toEqual([]);
    // The history tables' append-only guards are back for every other writer.
    expect(() => db().$client.prepare('delete from requirement_events').run()).toThrow('requirement_events is append-only');
    expect(() => db().$client.prepare('update audit_log set subject = subject').run()).toThrow('audit_log is append-only');
    expect((await failure(() => getSpace(admin, 'tun'))).status).toBe(404);
  });

  it('keeps every deleted row in a SQLite file beside it: the history and comments the export leaves out', () => {
    expect(rows).toBe(copy.replace(/\.zip$/, '.sqlite'));
    const kept = new Database(path.join(dataDir, rows), { readonly: true, fileMustExist: true });
    try {
      // Table by table, exactly the rows that went: a table whose rows went with the space by
      // cascade, and that the deletion does not name, would be missing from the copy.
      const after = tableCounts();
      const inCopy = tableCounts(kept);
      const went = [...before].filter(([name]) => name !== 'outbox' && name !== 'audit_log').map(([name, n]) => [name, n - after.get(name)!]).filter(([, n]) => n !== 0);
      expect(went.length).toBeGreaterThan(10);
      for (const [name, n] of went) expect(inCopy.get(name as string), name as string).toBe(n);
      const texts = (sql: string) => kept.prepare(sql).pluck().all();
      expect(texts('select markdown from revisions order by id')).toEqual(expect.arrayContaining(['The permafrost plan, first draft.', 'The permafrost plan, second draft.', 'Gone before.']));
      expect(texts('select markdown from page_comments')).toEqual([expect.stringContaining('Permafrost looks right')]);
      expect(texts(`select json_extract(data, '$.comment') from requirement_events where kind = 'commented'`)).toEqual(['Sensor chosen.']);
      expect(texts('select title from pages where deleted_at is not null')).toEqual(['Permafrost old notes']);
      expect(texts('select key from spaces')).toEqual(['tun']);
      expect(kept.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      kept.close();
    }
    expect(fs.readdirSync(path.join(dataDir, 'deleted-spaces')).sort()).toEqual([path.basename(copy), path.basename(rows)].sort());
  });

  it('leaves other spaces whole: their link shows a missing page, their requirement loses only the link', async () => {
    const linker = viewPage(admin, 'eng', 'tundra-links');
    expect(linker.html).toContain('class="wikilink missing"');
    expect(linker.html).not.toContain('/s/tun/plan');
    const other = getRequirement(admin, 'OTH-1');
    expect(other.title).toBe('Other sensor');
    expect(JSON.stringify(other)).not.toContain('Permafrost');
  });

  it('drops its pages and requirements from the index itself', async () => {
    await drainOutbox();
    expect(await indexed()).toEqual([]);
    expect((await search(admin, { q: 'permafrost sensor' })).hits).toEqual([]);
  });

  it('is in the audit log, and the key can be used again', () => {
    const [entry] = listAudit(admin, { action: 'space.delete' });
    expect(entry).toMatchObject({ actor: 'admin@example.com', subject: 'tun', after: { deleted: 'tun', pages: 1, requirements: 1, copy } });
    expect(createSpace(admin, { key: 'tun', name: 'A new tundra' }).key).toBe('tun');
    // The audit page's filter offers every action in the log, this one too.
    expect(auditActions(admin)).toEqual([...new Set(listAudit(admin, { limit: 1000 }).map((e) => e.action))].sort());
    expect(auditActions(admin)).toEqual(expect.arrayContaining(['space.archive', 'space.create', 'space.delete', 'space.grants']));
  });

  it('keeps a copy that imports again: pages, the attachment and the requirement', async () => {
    const back = await importArchive(admin, path.join(dataDir, copy), 'tun-restored');
    expect(back.spaces).toEqual([expect.objectContaining({ key: 'tun-restored', created: 1 })]);
    const plan = viewPage(admin, 'tun-restored', 'plan');
    expect(plan.page.title).toBe('Permafrost plan');
    expect(plan.html).toMatch(/<img[^>]+src="\/files\/\d+\//);
    await drainOutbox();
    expect((await search(admin, { q: 'permafrost sensor' })).hits.map((h) => h.title)).toContain('TUN-1 Permafrost sensor');
  });
});
