// Attachments against a real SQLite file, real files on disk and the test Meilisearch: streaming
// upload, content addressing, display copies without metadata, permissions, attachments following
// their page and revisions, gc, folder import of linked files, and search by names and PDF text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { attachmentForDownload, attachmentsInCurrentText, deleteAttachment, listAttachments } from '../../src/server/attachments/attachments.ts';
import { collectGarbage } from '../../src/server/attachments/gc.ts';
import { prepareDownload } from '../../src/server/attachments/serve.ts';
import { blobPath, filesDir } from '../../src/server/attachments/store.ts';
import { uploadAttachment } from '../../src/server/attachments/upload.ts';
import { importSpace, type ImportReport } from '../../src/server/content-io/import-folder.ts';
import { db, write } from '../../src/server/db.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { restoreRevision } from '../../src/server/pages/history.ts';
import { deletePage, movePage, restorePage } from '../../src/server/pages/move-page.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { drainOutbox } from '../../src/server/search/indexer.ts';
import { search } from '../../src/server/search/query.ts';
import { reindexAll } from '../../src/server/search/reindex.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { jpegWithGps, multipart, pdfWithText, png, pngBomb } from '../fixtures/attachments.ts';
import { sanitizeName } from '../../src/server/attachments/names.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let dataDir: string;
beforeAll(async () => {
  ({ admin, member, dataDir } = await freshEnvironment('attachments'));
  write((tx) => upsertSpace(tx, { key: 'vault', name: 'Vault', visibility: 'restricted' }));
  await savePage(admin, { space: 'eng', path: 'howto', title: 'How to', markdown: 'Screenshots below.' });
  await savePage(admin, { space: 'vault', path: 'plan', title: 'Secret plan', markdown: 'Hidden.' });
});

function upload(viewer: Viewer, space: string, pagePath: string, name: string, bytes: Buffer) {
  const { contentType, body } = multipart(name, bytes);
  return uploadAttachment(viewer, space, pagePath, { 'content-type': contentType }, Readable.from([body]));
}
const storedFiles = () => fs.readdirSync(filesDir(), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && /^[0-9a-f]{2}$/.test(path.basename(e.parentPath))).length;

describe('upload and storage', () => {
  it('stores the bytes at their SHA-256, once for the same bytes, and names them by a row each', async () => {
    const bytes = await png(20, 10, 1);
    const a = await upload(member, 'eng', 'howto', 'shot.png', bytes);
    const b = await upload(member, 'eng', 'howto', 'same-again.png', bytes);
    expect(a).toMatchObject({ name: 'shot.png', type: 'image/png', size: bytes.length, url: `/files/${a.id}/shot.png` });
    expect(b.sha256).toBe(a.sha256);
    expect(b.id).not.toBe(a.id);
    expect(blobPath(a.sha256)).toBe(path.join(dataDir, 'files', a.sha256.slice(0, 2), a.sha256.slice(2)));
    expect(fs.readFileSync(blobPath(a.sha256)).equals(bytes)).toBe(true);
    expect(storedFiles()).toBe(1);
    expect(fs.readdirSync(path.join(filesDir(), 'tmp'))).toEqual([]);
    expect(listAttachments(admin, 'eng', 'howto').map((f) => [f.name, f.uploader])).toEqual([['shot.png', '李雷'], ['same-again.png', '李雷']]);
  });

  it('takes the type from the bytes, not the name', async () => {
    const a = await upload(member, 'eng', 'howto', 'picture.html', await png(8, 8, 2));
    expect(a.type).toBe('image/png');
    const t = await upload(member, 'eng', 'howto', 'notes.png', Buffer.from('<script>alert(1)</script>'));
    expect(t.type).toBe('application/octet-stream');
    const d = await prepareDownload(member, t.id, false);
    expect(d.headers['content-disposition']).toMatch(/^attachment;/);
    expect(d.headers['content-type']).toBe('application/octet-stream');
  });

  it('refuses an empty file, a bad name, a pixel bomb and a reader, storing nothing', async () => {
    const before = storedFiles();
    const rows = () => db().$client.prepare('select count(*) as n from attachments').get() as { n: number };
    const n = rows().n;
    expect((await failure(() => upload(member, 'eng', 'howto', 'empty.txt', Buffer.alloc(0)))).status).toBe(400);
    expect((await failure(() => upload(member, 'eng', 'howto', `${'x'.repeat(1000)}.png`, Buffer.from('x')))).status).toBe(400);
    expect((await failure(() => upload(member, 'eng', 'howto', '..', Buffer.from('x')))).status).toBe(400);
    expect((await failure(() => upload(member, 'eng', 'howto', 'bomb.png', pngBomb()))).status).toBe(400);
    expect((await failure(() => upload(member, 'hr', 'nope', 'a.txt', Buffer.from('x')))).status).toBe(403); // a reader here
    expect((await failure(() => upload(member, 'no-such-space', 'nope', 'a.txt', Buffer.from('x')))).status).toBe(404);
    expect((await failure(() => upload(member, 'vault', 'plan', 'a.txt', Buffer.from('x')))).status).toBe(404);
    expect(rows().n).toBe(n);
    expect(storedFiles()).toBe(before);
    expect(fs.readdirSync(path.join(filesDir(), 'tmp'))).toEqual([]);
  });

  it('strips control characters and path parts from names, keeping Chinese', async () => {
    expect(sanitizeName('a\u0007b\u202e\u0000c.txt')).toBe('abc.txt');
    const a = await upload(member, 'eng', 'howto', '..\\..\\etc/周报.txt', Buffer.from('weekly'));
    expect(a.name).toBe('周报.txt');
    const d = await prepareDownload(member, a.id, false);
    expect(d.headers['content-disposition']).toBe(`attachment; filename="??.txt"; filename*=UTF-8''%E5%91%A8%E6%8A%A5.txt`);
  });
});

describe('images', () => {
  it('shows images without their EXIF/GPS data, large ones at display size; the original stays', async () => {
    const jpeg = await jpegWithGps();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const a = await upload(member, 'eng', 'howto', 'gps.jpg', jpeg);
    const shown = await prepareDownload(member, a.id, false);
    expect(shown.headers['content-disposition']).toMatch(/^inline;/);
    expect(shown.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(fs.readFileSync(shown.file)).metadata();
    expect(meta.exif).toBeUndefined();
    const original = await prepareDownload(member, a.id, true);
    expect(original.headers['content-disposition']).toMatch(/^attachment;/);
    expect(fs.readFileSync(original.file).equals(jpeg)).toBe(true);

    const big = await upload(member, 'eng', 'howto', 'wide.png', await png(3000, 500, 3));
    expect((await sharp((await prepareDownload(member, big.id, false)).file).metadata()).width).toBe(1600);
    expect((await sharp((await prepareDownload(member, big.id, true)).file).metadata()).width).toBe(3000);
  });
});

describe('attachments follow their page', () => {
  it('a reader of the space may download; others get the one 404', async () => {
    const a = await upload(admin, 'vault', 'plan', 'secret.txt', Buffer.from('the plan'));
    expect(attachmentForDownload(admin, a.id).name).toBe('secret.txt');
    expect((await failure(() => attachmentForDownload(member, a.id))).status).toBe(404);
    expect((await failure(() => attachmentForDownload(member, 999_999))).status).toBe(404);
    expect((await failure(() => listAttachments(member, 'vault', 'plan'))).status).toBe(404);
    expect((await failure(() => deleteAttachment(member, a.id))).status).toBe(404);
  });

  it('one uploaded for a page not saved yet is its uploader\'s alone until their save of a page that links to it', async () => {
    const a = await upload(member, 'eng', 'reviews/sprint-3', 'shot.png', await png(20, 10));
    expect(attachmentForDownload(member, a.id).name).toBe('shot.png');
    expect((await failure(() => attachmentForDownload(admin, a.id))).status).toBe(404);
    expect((await failure(() => listAttachments(member, 'eng', 'reviews/sprint-3'))).status).toBe(404); // no such page yet
    expect((await failure(() => upload(member, 'vault', 'new-plan', 'x.txt', Buffer.from('x')))).status).toBe(404); // nor a space they cannot read
    // Another writer's page that links to it does not make it theirs.
    await savePage(admin, { space: 'eng', path: 'borrowed', title: 'Borrowed', markdown: `![shot](${a.url})` });
    expect(listAttachments(admin, 'eng', 'borrowed')).toEqual([]);
    expect((await failure(() => attachmentForDownload(admin, a.id))).status).toBe(404);
    // The uploader's first save of the page does: from then on it is the page's, for its readers.
    await savePage(member, { space: 'eng', path: 'reviews/sprint-3', title: 'Sprint 3 review', markdown: `Review.\n\n![shot](${a.url})` });
    expect(listAttachments(admin, 'eng', 'reviews/sprint-3').map((f) => f.id)).toEqual([a.id]);
    expect(attachmentForDownload(admin, a.id).id).toBe(a.id);
    expect(viewPage(admin, 'eng', 'reviews/sprint-3').html).toContain(`src="${a.url}"`);
  });

  it('moves with the page, is hidden while it is deleted and comes back with it', async () => {
    await savePage(admin, { space: 'eng', path: 'mover', title: 'Mover', markdown: 'x' });
    const a = await upload(member, 'eng', 'mover', 'm.txt', Buffer.from('moving'));
    movePage(admin, 'eng', 'mover', 'moved');
    expect(listAttachments(member, 'eng', 'moved').map((f) => f.id)).toEqual([a.id]);
    const pageId = viewPage(admin, 'eng', 'moved').page.id;
    deletePage(admin, 'eng', 'moved');
    expect((await failure(() => attachmentForDownload(member, a.id))).status).toBe(404);
    restorePage(admin, 'eng', pageId);
    expect(attachmentForDownload(member, a.id).name).toBe('m.txt');
  });

  it('a revision remembers the attachments it linked to: restoring it brings a deleted one back', async () => {
    await savePage(admin, { space: 'eng', path: 'report', title: 'Report', markdown: 'Draft.' });
    const a = await upload(member, 'eng', 'report', 'chart.png', await png(30, 30, 4));
    const r2 = await savePage(member, { space: 'eng', path: 'report', markdown: `See ![chart](${a.url}).` });
    const pageId = viewPage(admin, 'eng', 'report').page.id;
    const linked = db().$client.prepare('select ra.attachment_id as id from revision_attachments ra join revisions r on r.id = ra.revision_id where r.page_id = ? and r.number = ?').all(pageId, r2.revision);
    expect(linked).toEqual([{ id: a.id }]);
    await savePage(member, { space: 'eng', path: 'report', markdown: 'No chart any more.' });
    deleteAttachment(member, a.id);
    expect(listAttachments(member, 'eng', 'report')).toEqual([]);
    await restoreRevision(member, 'eng', 'report', r2.revision);
    expect(listAttachments(member, 'eng', 'report').map((f) => f.id)).toEqual([a.id]);
  });

  it('stays deleted when the page is saved again with text that still links to it', async () => {
    await savePage(admin, { space: 'eng', path: 'still-linked', title: 'Still linked', markdown: 'Draft.' });
    const a = await upload(member, 'eng', 'still-linked', 'diagram.png', await png(20, 20, 5));
    await savePage(member, { space: 'eng', path: 'still-linked', markdown: `![diagram](${a.url})` });
    const pageId = viewPage(admin, 'eng', 'still-linked').page.id;
    expect([...attachmentsInCurrentText(pageId)]).toEqual([a.id]);
    deleteAttachment(member, a.id);
    await savePage(member, { space: 'eng', path: 'still-linked', markdown: `An unrelated edit.\n\n![diagram](${a.url})` });
    expect(listAttachments(member, 'eng', 'still-linked')).toEqual([]);
    expect((await failure(() => attachmentForDownload(member, a.id))).status).toBe(404);
  });
});

describe('npm run gc', () => {
  it('removes files nothing reaches any more, never one a page or revision still names', async () => {
    await savePage(admin, { space: 'eng', path: 'gc', title: 'GC', markdown: 'x' });
    const dropped = await upload(member, 'eng', 'gc', 'dropped.bin', Buffer.from('only here, then deleted'));
    const kept = await upload(member, 'eng', 'gc', 'kept.bin', Buffer.from('still attached'));
    const linked = await upload(member, 'eng', 'gc', 'linked.bin', Buffer.from('linked from revision 2'));
    await savePage(member, { space: 'eng', path: 'gc', markdown: `[old](${linked.url})` });
    await savePage(member, { space: 'eng', path: 'gc', markdown: 'link gone' });
    deleteAttachment(member, dropped.id);
    deleteAttachment(member, linked.id);
    const report = collectGarbage({ graceMs: 0, now: Date.now() + 1 });
    expect(report).toMatchObject({ rows: 1, files: 1, bytes: 'only here, then deleted'.length });
    expect(fs.existsSync(blobPath(dropped.sha256))).toBe(false);
    expect(fs.existsSync(blobPath(kept.sha256))).toBe(true);
    expect(fs.existsSync(blobPath(linked.sha256))).toBe(true);
    // Display copies of files in use stay too; a second run frees nothing.
    expect(collectGarbage({ graceMs: 0, now: Date.now() + 1 })).toMatchObject({ rows: 0, files: 0 });
    // A file pasted into a page never saved is kept for its writer's draft 30 days, then freed.
    const pending = await upload(member, 'eng', 'never-saved', 'pending.bin', Buffer.from('pasted, never saved'));
    expect(collectGarbage({ graceMs: 0, now: Date.now() + 29 * 24 * 3_600_000 })).toMatchObject({ rows: 0, files: 0 });
    expect(collectGarbage({ graceMs: 0, now: Date.now() + 31 * 24 * 3_600_000 })).toMatchObject({ rows: 1, files: 1, bytes: 'pasted, never saved'.length });
    expect(fs.existsSync(blobPath(pending.sha256))).toBe(false);
    expect(listAttachments(member, 'eng', 'howto').length).toBeGreaterThan(0);
    for (const f of listAttachments(member, 'eng', 'howto')) expect(fs.existsSync(blobPath(f.sha256))).toBe(true);
  });
});

describe('folder import', () => {
  it('brings relative image and file links in as attachments and points the links at them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-att-'));
    const space = path.join(dir, 'manual');
    fs.mkdirSync(path.join(space, 'guide/img'), { recursive: true });
    fs.mkdirSync(path.join(space, 'files'));
    fs.writeFileSync(path.join(space, 'guide/img/a.png'), await png(12, 12, 5));
    fs.writeFileSync(path.join(space, 'files/spec.pdf'), pdfWithText('Importedspec flange tolerances'));
    fs.writeFileSync(path.join(dir, 'outside.png'), await png(5, 5, 6));
    fs.writeFileSync(path.join(space, 'guide/img/example.png'), await png(6, 6, 7));
    fs.writeFileSync(path.join(space, 'guide/setup.md'),
      '# Setup\n\n![shot](img/a.png "The screen")\n\nRead [the spec](../files/spec.pdf) and [away](../../outside.png) and <https://example.com/x.png>.\n'
      + '\nHostile targets stay as written: [nul](img/a.png%00.txt), [up](..%2F..%2Foutside.png).\n'
      + '\nAn example in code is not a link: `![x](img/example.png)`\n\n```md\n![shot](img/a.png)\n```\n');
    const report: ImportReport = { spaces: [], skipped: [] };
    const pool = new RenderPool(1);
    try {
      await importSpace(space, 'manual', report, pool);
      const page = viewPage(admin, 'manual', 'guide/setup', { markdown: true });
      const files = listAttachments(admin, 'manual', 'guide/setup');
      expect(files.map((f) => [f.name, f.type, f.uploader])).toEqual([['a.png', 'image/png', null], ['spec.pdf', 'application/pdf', null]]);
      expect(page.markdown).toContain(`![shot](${files[0]!.url} "The screen")`);
      expect(page.markdown).toContain(`[the spec](${files[1]!.url})`);
      expect(page.markdown).toContain('[away](../../outside.png)');
      expect(page.markdown).toContain('[nul](img/a.png%00.txt), [up](..%2F..%2Foutside.png)');
      expect(page.markdown).toContain('`![x](img/example.png)`\n\n```md\n![shot](img/a.png)\n```');
      expect(report.skipped.map((s) => s.file)).toContain(path.join('manual', 'guide/img/example.png'));
      expect(page.html).toContain(`src="${files[0]!.url}"`);
      expect(report.skipped.map((s) => s.file)).not.toContain(path.join('manual', 'guide/img/a.png'));
      // Importing again changes nothing and stores nothing twice.
      const again: ImportReport = { spaces: [], skipped: [] };
      await importSpace(space, 'manual', again, pool);
      expect(again.spaces[0]).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      expect(listAttachments(admin, 'manual', 'guide/setup')).toHaveLength(2);
    } finally {
      await pool.close();
    }
  });
});

describe('search', () => {
  it('finds a page by its attachments\' names and by the text of its PDFs, for readers only', async () => {
    await savePage(admin, { space: 'eng', path: 'budget', title: 'Budget page', markdown: 'Numbers.' });
    await upload(member, 'eng', 'budget', 'zebraquill-forecast.xlsx', Buffer.from('PK\u0003\u0004 not really'));
    await upload(member, 'eng', 'budget', 'q3.pdf', pdfWithText('Obsidianfalcon procurement totals'));
    await upload(admin, 'vault', 'plan', 'vault.pdf', pdfWithText('Sealedthing inventory'));
    await drainOutbox();
    const titles = async (viewer: Viewer, q: string) => (await search(viewer, { q })).hits.map((h) => h.title);
    expect(await titles(member, 'zebraquill')).toContain('Budget page');
    expect(await titles(member, 'obsidianfalcon')).toContain('Budget page');
    expect(await titles(member, 'flange')).toContain('Setup');
    expect(await titles(admin, 'sealedthing')).toContain('Secret plan');
    expect(await titles(member, 'sealedthing')).toEqual([]);
    // A rebuilt index has them too, and the hit's snippet is the PDF's text.
    await reindexAll();
    const hit = (await search(member, { q: 'obsidianfalcon' })).hits.find((h) => h.title === 'Budget page');
    expect(hit?.snippet).toContain('<mark>Obsidianfalcon</mark> procurement');
    expect(await titles(member, 'zebraquill')).toContain('Budget page');
  });
});
