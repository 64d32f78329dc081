// Space export: a zip of Markdown in the folder import's layout. Read back with a real zip reader,
// imported again into a space of another name (the round trip), and checked for what a viewer
// may not read (a restricted space, a project's restricted requirement).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { listAttachments } from '../../src/server/attachments/attachments.ts';
import { uploadAttachment } from '../../src/server/attachments/upload.ts';
import { importSpace, type ImportReport } from '../../src/server/content-io/import-folder.ts';
import { write } from '../../src/server/db.ts';
import { exportSpace, fileNameFor } from '../../src/server/content-io/export-space.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { pageOwnership, updatePageOwnership } from '../../src/server/pages/ownership.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { adoptSpaceAsProject } from '../../src/server/projects/projects.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { upsertSpace } from '../../src/server/spaces/spaces.ts';
import { multipart, png } from '../fixtures/attachments.ts';
import { unzip, writeOut, type ZipEntry } from '../fixtures/unzip.ts';
import { root } from '../../scripts/lib/build.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let shot: Buffer;
let shotUrl = '';
let notesUrl = '';
let unlinkedId = '';
const idOf = (url: string) => url.split('/')[2]!;

async function zipOf(viewer: Viewer, space: string, pagePath = ''): Promise<ZipEntry[]> {
  const out = exportSpace(viewer, space, pagePath);
  const chunks: Buffer[] = [];
  for await (const c of out.stream) chunks.push(c as Buffer);
  return unzip(Buffer.concat(chunks));
}
/** The space exported by the admin, unpacked and imported again as `<space>-copy`: the import's report. */
async function roundTrip(space: string): Promise<ImportReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-export-'));
  writeOut(await zipOf(admin, space), dir);
  const report: ImportReport = { spaces: [], skipped: [] };
  const pool = new RenderPool(1);
  try {
    await importSpace(path.join(dir, space), `${space}-copy`, report, pool);
  } finally {
    await pool.close();
  }
  return report;
}
const names = (entries: ZipEntry[]) => entries.map((e) => e.name).sort();
const entry = (entries: ZipEntry[], name: string) => entries.find((e) => e.name === name);

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('export'));
  write((tx) => upsertSpace(tx, { key: 'vault', name: 'Vault', visibility: 'restricted' }));
  await savePage(admin, { space: 'vault', path: 'plan', title: 'Secret plan', markdown: 'Hidden.' });
  await savePage(admin, { space: 'eng', path: '', title: 'Engineering', markdown: 'Start with [[VPN 配置]].', tags: ['home'] });
  await savePage(admin, { space: 'eng', path: 'guides', title: 'Guides', markdown: 'All guides.' });
  await savePage(member, { space: 'eng', path: 'guides/vpn', title: 'VPN 配置', markdown: 'Connect first.', tags: ['vpn', '网络'] });
  shot = await png(40, 30);
  const upload = (name: string, bytes: Buffer) => {
    const { contentType, body } = multipart(name, bytes);
    return uploadAttachment(member, 'eng', 'guides/vpn', { 'content-type': contentType }, Readable.from([body]));
  };
  shotUrl = (await upload('屏幕 截图 (1).png', shot)).url;
  notesUrl = (await upload('CON.txt', Buffer.from('release notes: a&b'))).url;
  unlinkedId = idOf((await upload('a&b #1?.txt', Buffer.from('not linked from the text'))).url);
  await savePage(member, {
    space: 'eng', path: 'guides/vpn', title: 'VPN 配置', tags: ['vpn', '网络'], baseRevision: 1,
    markdown: `Connect first.\n\n![屏幕截图](${shotUrl} "the client")\n\nSee [the notes](${notesUrl}) and [[Guides]].`,
  });
  updatePageOwnership(admin, 'eng', 'guides/vpn', { reviewBy: '2027-01-15', verified: true });
});

describe('space export', () => {
  it('writes every page as Markdown with its facts, and the files its pages hold', async () => {
    const entries = await zipOf(member, 'eng');
    const shotFile = `eng/_files/${idOf(shotUrl)}/屏幕 截图 (1).png`;
    expect(names(entries)).toEqual([
      `eng/_files/${idOf(notesUrl)}/_CON.txt`, `eng/_files/${unlinkedId}/a&b _1_.txt`, shotFile,
      'eng/_space.yaml', 'eng/guides.md', 'eng/guides/vpn.md', 'eng/index.md',
    ].sort());
    expect(entry(entries, shotFile)!.bytes.equals(shot)).toBe(true);
    expect(entry(entries, shotFile)!.compressed).toBe(false); // a PNG is stored, text is deflated
    expect(entry(entries, 'eng/guides/vpn.md')!.compressed).toBe(true);
    const vpn = entry(entries, 'eng/guides/vpn.md')!.bytes.toString();
    expect(vpn).toMatch(/^---\ntitle: VPN 配置\ntags:\n {2}- vpn\n {2}- 网络\nowner: li\.lei@example\.com\ncreated: \d{4}-.*\nupdated: .*\nreviewed: .*\nreview-by: 2027-01-15\n---\n\nConnect first\./);
    // Links to the page's files point into the archive, relative to the page's file; wiki links stay.
    expect(vpn).toContain(`![屏幕截图](../_files/${idOf(shotUrl)}/%E5%B1%8F%E5%B9%95%20%E6%88%AA%E5%9B%BE%20%281%29.png "the client")`);
    expect(vpn).toMatch(/\[the notes\]\(\.\.\/_files\/\d+\/_CON\.txt\) and \[\[Guides\]\]/);
    expect(entry(entries, 'eng/index.md')!.bytes.toString()).toMatch(/^---\ntitle: Engineering\ntags:\n {2}- home\n/);
    expect(entry(entries, 'eng/_space.yaml')!.bytes.toString()).toMatch(/\nname: Engineering\nkind: guide\nvisibility: org\n/);
  });

  it('exports one page with the pages under it', async () => {
    expect(names(await zipOf(admin, 'eng', 'guides'))).toEqual(expect.arrayContaining(['eng/guides.md', 'eng/guides/vpn.md', 'eng/_space.yaml']));
    expect(names(await zipOf(admin, 'eng', 'guides'))).not.toContain('eng/index.md');
    expect(names(await zipOf(admin, 'eng', 'guides/vpn')).filter((n) => n.endsWith('.md'))).toEqual(['eng/guides/vpn.md']);
  });

  it('comes back the same through the folder import, files included', async () => {
    const report = await roundTrip('eng');
    expect(report.spaces).toEqual([{ key: 'eng-copy', created: 3, updated: 0, unchanged: 0 }]);
    // The file no page links to is listed as skipped; the linked ones became attachments again.
    expect(report.skipped.map((s) => path.basename(s.file))).toEqual(['a&b _1_.txt']);
    for (const p of ['', 'guides', 'guides/vpn']) {
      const [a, b] = [viewPage(admin, 'eng', p).page, viewPage(admin, 'eng-copy', p).page];
      expect({ title: b.title, tags: b.tags, updatedAt: b.updatedAt }).toEqual({ title: a.title, tags: a.tags, updatedAt: a.updatedAt });
    }
    const copy = viewPage(admin, 'eng-copy', 'guides/vpn');
    expect(pageOwnership(copy.page.id)).toMatchObject({ owner: { email: 'li.lei@example.com' }, reviewBy: '2027-01-15', verifiedAt: expect.any(String) });
    const files = listAttachments(admin, 'eng-copy', 'guides/vpn');
    expect(files.map((f) => f.name).sort()).toEqual(['_CON.txt', '屏幕 截图 (1).png']);
    expect(copy.html).toContain(`src="${files.find((f) => f.name.endsWith('.png'))!.url}"`);
    expect(copy.html).toContain('href="/s/eng-copy/guides"');
  });

  it('keeps odd page paths through the round trip (%, [[, {, g[, ?, #, Chinese, NFC)', async () => {
    write((tx) => upsertSpace(tx, { key: 'odd', name: 'Odd names' }));
    const paths = ['%', '[[', '{', 'g[', 'q?', 'h#1', '报销/流程', 'caf\u00e9'];
    for (const p of paths) await savePage(admin, { space: 'odd', path: p, title: `Page ${p}`, markdown: `Path ${p}.` });
    const report = await roundTrip('odd');
    expect(report).toMatchObject({ spaces: [{ key: 'odd-copy', created: paths.length }], skipped: [] });
    for (const p of paths) expect(viewPage(admin, 'odd-copy', p).page.title).toBe(`Page ${p}`);
  });

  it('answers a space or page the viewer may not read exactly as one that does not exist, and records each export', async () => {
    for (const [space, p] of [['vault', ''], ['vault', 'plan'], ['nope', ''], ['eng', 'nope']] as const) {
      const err = await failure(() => exportSpace(member, space, p));
      expect([err.status, err.message]).toEqual([404, 'Not found']);
    }
    const lines = listAudit(admin, { action: 'space.export' });
    expect(lines.find((l) => l.actor === 'admin@example.com' && l.subject === 'eng')).toMatchObject({ after: { pages: 3, files: 3 } });
    expect(lines.some((l) => l.actor === 'li.lei@example.com' && l.subject === 'eng')).toBe(true);
    expect(lines.some((l) => l.subject === 'eng/guides/vpn')).toBe(true);
  });

  it("holds a project's requirements as its list shows them to the viewer", async () => {
    write((tx) => upsertSpace(tx, { key: 'prj', name: 'Project space', kind: 'project' }));
    adoptSpaceAsProject(admin, { key: 'PRJ', space: 'prj', name: 'Export project' });
    setGrants(admin, 'prj', [{ user: member.email, role: 'reader' }]);
    await submitRequirement(admin, 'PRJ', { title: 'Open =1+1 item', category: 'feature', description: 'line one\nline two' });
    await submitRequirement(admin, 'PRJ', { title: 'Quietfinch restricted item', category: 'feature' });
    await editRequirement(admin, 'PRJ-2', { restricted: true });
    const csv = async (viewer: Viewer) => entry(await zipOf(viewer, 'prj'), 'prj/_requirements.csv')!.bytes.toString();
    expect(await csv(admin)).toContain('Quietfinch');
    const seen = await csv(member);
    expect(seen).toMatch(/^\uFEFF"key","title",/);
    expect(seen).toContain('"PRJ-1","Open =1+1 item"');
    expect(seen).toContain('"line one\nline two"');
    expect(seen).not.toMatch(/Quietfinch|PRJ-2/);
    const yaml = entry(await zipOf(member, 'prj'), 'prj/_space.yaml')!.bytes.toString();
    expect(yaml).toMatch(/project:\n {2}key: PRJ\n {2}name: Export project\n {2}owner: admin@example\.com/);
  });

  it('is also a command: npm run export', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-export-cli-')), 'guides.zip');
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'scripts/export.ts'), ...args], { encoding: 'utf8', env: process.env });
    const ok = run('eng/guides', '--out', out);
    expect([ok.status, ok.stdout]).toEqual([0, `${out}: 2 pages, 3 files, ${(fs.statSync(out).size / 1024).toFixed(1)} kB\n`]);
    expect(names(await unzip(fs.readFileSync(out))).filter((n) => n.endsWith('.md'))).toEqual(['eng/guides.md', 'eng/guides/vpn.md']);
    const missing = run('nope');
    expect([missing.status, missing.stderr.trim()]).toEqual([1, 'No space or page "nope"']);
  });

  it('gives file names every system accepts', () => {
    expect(fileNameFor('CON.txt')).toBe('_CON.txt');
    expect(fileNameFor('nul')).toBe('_nul');
    expect(fileNameFor('a:b*c?"d"<e>|f\\g/h%i#j.txt')).toBe('a_b_c__d__e__f_g_h_i_j.txt');
    expect(fileNameFor(' ..hidden. ')).toBe('hidden');
    expect(fileNameFor('...')).toBe('file');
    expect(fileNameFor('报告 (最终版).pdf')).toBe('报告 (最终版).pdf');
    expect(Buffer.byteLength(fileNameFor('长'.repeat(100)))).toBeLessThanOrEqual(200);
  });
});
