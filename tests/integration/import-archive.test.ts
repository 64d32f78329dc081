// A space imported from an uploaded zip (Admin → Spaces, POST /api/v1/imports): an export of
// Dossier comes back as a new space, another tool's Markdown export too, and every hostile archive
// (HOSTILE-INPUTS item 21: zip-slip, an absolute entry, a link, a bomb, a corrupt file) is refused
// before anything is written. The archives are built here after ../shared/corpus/peer-exports'
// Outline examples (which a clean clone does not have): its Markdown export's clutter, its
// zip-slip .textpack, its 7-byte corrupt.zip and its zip of an empty folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl'; // for an archive zipOf cannot make: one name twice
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { listAttachments } from '../../src/server/attachments/attachments.ts';
import { uploadAttachment } from '../../src/server/attachments/upload.ts';
import { exportSpace } from '../../src/server/content-io/export-space.ts';
import { ARCHIVE_LIMITS, importStatus, importUploadedArchive, removeAbandonedImports } from '../../src/server/content-io/import-archive.ts';
import { interruptedImports, keepInterruptedImport } from '../../src/server/content-io/interrupted-imports.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { pageOwnership } from '../../src/server/pages/ownership.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { findSpace } from '../../src/server/spaces/spaces.ts';
import { multipart, png } from '../fixtures/attachments.ts';
import { zipOf } from '../fixtures/zip-of.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
let dataDir = '';

const importZip = (viewer: Viewer, zip: Buffer, space?: string, more: Record<string, string> = {}) => {
  const { contentType, body } = multipart('space.zip', zip, { fields: { ...(space ? { space } : {}), ...more } });
  return importUploadedArchive(viewer, { 'content-type': contentType }, Readable.from([body]));
};

async function exported(space: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of exportSpace(admin, space, '').stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** yazl refuses to write an unsafe name: one of the same length is written and replaced in both headers. */
const renamed = (zip: Buffer, from: string, to: string) => Buffer.from(zip.toString('latin1').replaceAll(from, to), 'latin1');

/** Nothing of a refused import is left: no space, no unpacked folder, no temporary upload. */
function expectNothingLeft(space: string): void {
  expect(findSpace(space)).toBeUndefined();
  expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('import-'))).toEqual([]);
  expect(fs.readdirSync(path.join(dataDir, 'files', 'tmp'))).toEqual([]);
}

beforeAll(async () => {
  ({ admin, member, dataDir } = await freshEnvironment('import-archive'));
  await savePage(admin, { space: 'eng', path: '', title: 'Engineering', markdown: 'Start with [[VPN 配置]].', tags: ['home'] });
  await savePage(member, { space: 'eng', path: 'guides/vpn', title: 'VPN 配置', markdown: 'Connect first.', tags: ['vpn'] });
  const { contentType, body } = multipart('屏幕 截图 (1).png', await png(40, 30));
  const shot = await uploadAttachment(member, 'eng', 'guides/vpn', { 'content-type': contentType }, Readable.from([body]));
  await savePage(member, { space: 'eng', path: 'guides/vpn', title: 'VPN 配置', tags: ['vpn'], baseRevision: 1, markdown: `Connect first.\n\n![屏幕截图](${shot.url})` });
});

afterEach(() => {
  ARCHIVE_LIMITS.entries = 20_000;
  ARCHIVE_LIMITS.unpackedBytes = 2 * 1024 ** 3;
});

describe('importing an archive', () => {
  it('brings a Dossier export back as a new space: pages, tags, owner, images as attachments', async () => {
    const report = await importZip(admin, await exported('eng'), 'eng-restored');
    expect(report).toMatchObject({ space: 'eng-restored', project: null, skipped: [], spaces: [{ key: 'eng-restored', created: 2 }] });
    const vpn = viewPage(member, 'eng-restored', 'guides/vpn');
    expect(vpn.page).toMatchObject({ title: 'VPN 配置', tags: ['vpn'] });
    expect(pageOwnership(vpn.page.id)).toMatchObject({ owner: { email: 'li.lei@example.com' } });
    const files = listAttachments(admin, 'eng-restored', 'guides/vpn');
    expect(files.map((f) => f.name)).toEqual(['屏幕 截图 (1).png']);
    expect(vpn.html).toContain(`src="${files[0]!.url}"`);
    expect(listAudit(admin, { action: 'space.import' }).find((l) => l.subject === 'eng-restored')).toMatchObject({ actor: 'admin@example.com', after: { pages: 2, skipped: 0, project: null } });
  });

  it("names the space after the archive's folder when no key is given, and a skipped file as it is in the archive", async () => {
    const report = await importZip(admin, await zipOf({ 'Team Notes/index.md': '# Team notes\n\nHello.', 'Team Notes/howto/setup.md': '# Setup\n\nSteps.', 'Team Notes/howto/notes.txt': 'plain' }));
    expect(report.space).toBe('team-notes');
    expect(viewPage(admin, 'team-notes', 'howto/setup').page.title).toBe('Setup');
    expect(report.skipped).toEqual([{ file: 'Team Notes/howto/notes.txt', reason: 'not a page, and no page links to it', code: 'fileNotLinked' }]);
  });

  it("imports another tool's Markdown export (Outline), skipping its clutter and saying what it left out", async () => {
    const outline = await zipOf({
      'Testing/': '', 'Testing/Welcome.md': '# Welcome\n\n![diagram](uploads/diagram.png)', 'Testing/Nested/Child doc.md': '# Child doc\n\nText.',
      'Testing/uploads/diagram.png': { bytes: await png(20, 10), mode: 0o100644 }, 'Testing/.DS_Store': 'finder', '__MACOSX/Testing/._Welcome.md': 'fork',
    });
    const report = await importZip(admin, outline, 'outline-testing');
    expect(report.spaces[0]).toMatchObject({ key: 'outline-testing', created: 2 });
    expect(report.skipped).toEqual([]);
    expect(listAttachments(admin, 'outline-testing', 'Welcome').map((f) => f.name)).toEqual(['diagram.png']);
  });

  it("imports Notion's Markdown export in parts: paths without its ids, links between pages kept, files attached, databases made pages", async () => {
    const start = 'Get Started 723c6ce1473e40b9beebe9f3711c0ca3';
    const sub = 'Example sub page 4e3c9cede4924e10a3d9f78317eeb7ef';
    const table = 'Untitled Database d1d49ff9051d4af9b1298c9056c294b2';
    const notes = 'Meeting Notes 86646ad0cf5b4c77b3758e727707a84a';
    const part = await zipOf({
      // A database at the top that no page links to, in a newer export's two CSV files, with a row page.
      [`${notes}.csv`]: '\ufeffName,Type\nFont family standardization,Design Systems\n',
      [`${notes}_all.csv`]: '\ufeffName,Type,Participants\nFont family standardization,Design Systems,"Mike, Parthiv"\n"Budget | Q3",Finance,<b>Ann</b>\n',
      [`${notes}/Font family standardization 557eb4eb4a8b42549b394d2ccd64cfcb.md`]: '# Font family standardization\n\nType: Design Systems\n\nSettle on one font.',
      [`${start}.md`]: `# Get Started\n\n[Untitled](${encodeURIComponent(start)}/${encodeURIComponent(table)}.csv)\n\n- [ ]  Create subpages inside a page\n\n    [Example sub page](${encodeURIComponent(start)}/${encodeURIComponent(sub)}.md)\n`,
      [`${start}/${sub}.md`]: `# Example sub page\n\n![shot](${encodeURIComponent(sub)}/shot.png)\n\nBack to [Get Started](../${encodeURIComponent(start)}.md).`,
      [`${start}/${sub}/shot.png`]: { bytes: await png(12, 8), mode: 0o100644 },
      [`${start}/${table}.csv`]: 'Name,Tags\nUntitled,\n',
      [`${start}/${table}/Untitled f898129862c741f2a97fc2c87c72d1d5.md`]: '# Untitled\n\nRow one.',
      [`${start}/${table}/Untitled 5573bc4f889648bcbab0cbb37800d144.md`]: '# Untitled\n\nRow two.',
    });
    // As Notion sends it: the export is a zip inside the zip.
    const notion = await zipOf({ 'Export-d2b14fbf-86de-4508-a1b2-6515ff8d7aab-Part-1.zip': { bytes: part, mode: 0o100644 } });
    // Its pages lie at the top, beside their folders: there is no folder to name the space after.
    expect((await failure(() => importZip(admin, notion))).extra.code).toBe('spaceKeyNeeded');
    const report = await importZip(admin, notion, 'notion');
    expect(report.spaces[0]).toMatchObject({ key: 'notion', created: 7 });
    expect(report.skipped).toEqual([]);
    const home = viewPage(admin, 'notion', 'Get Started');
    expect(home.page.title).toBe('Get Started');
    expect(home.html).toContain('href="/s/notion/Get%20Started/Example%20sub%20page"');
    // Its link to the inline database's CSV leads to the page made for the database, which holds the CSV.
    expect(home.html).toContain('href="/s/notion/Get%20Started/Untitled%20Database"');
    expect(listAttachments(admin, 'notion', 'Get Started')).toEqual([]);
    const inline = viewPage(admin, 'notion', 'Get Started/Untitled Database');
    expect(inline.page.title).toBe('Untitled Database');
    expect(inline.html).toMatch(/<table>[\s\S]*<th>Name<\/th>[\s\S]*<td>Untitled<\/td>/); // two rows are "Untitled": linked to neither
    expect(listAttachments(admin, 'notion', 'Get Started/Untitled Database').map((f) => f.name)).toEqual([`${table}.csv`]);
    // The top-level database: every row of its "_all" CSV, the first column linked to the row's page, cells as written.
    const db = viewPage(admin, 'notion', 'Meeting Notes');
    expect(db.page.title).toBe('Meeting Notes');
    expect(db.html).toMatch(/<td><a href="\/s\/notion\/Meeting%20Notes\/Font%20family%20standardization" class="wikilink"[^>]*>Font family standardization<\/a><\/td>/);
    expect(db.html).toContain('<td>Mike, Parthiv</td>');
    expect(db.html).toContain('<td>Budget | Q3</td>');
    expect(db.html).toContain('<td>&lt;b>Ann&lt;/b></td>');
    expect(listAttachments(admin, 'notion', 'Meeting Notes').map((f) => f.name).sort()).toEqual([`${notes}.csv`, `${notes}_all.csv`]);
    expect(viewPage(admin, 'notion', 'Meeting Notes/Font family standardization').page.title).toBe('Font family standardization');
    const child = viewPage(admin, 'notion', 'Get Started/Example sub page');
    expect(child.html).toContain('href="/s/notion/Get%20Started"');
    expect(listAttachments(admin, 'notion', 'Get Started/Example sub page').map((f) => f.name)).toEqual(['shot.png']);
    expect(viewPage(admin, 'notion', 'Get Started/Untitled Database/Untitled 5573bc4f889648bcbab0cbb37800d144').page.title).toBe('Untitled');
  });

  it("imports Confluence's HTML space export: its page tree, its home page, content as Markdown, links and files kept", async () => {
    // After ../shared/corpus/peer-exports/confluence/html-space-export: index.html's details and page tree, pages `Title_<id>.html`.
    const page = (title: string, main: string, after = '') => `<!DOCTYPE html><html><head><title>Team : ${title}</title></head><body><div id="page"><div id="main">
      <div id="main-header"><ol id="breadcrumbs"><li class="first"><span><a href="index.html">Team</a></span></li></ol>
      <h1 id="title-heading" class="pagetitle"><span id="title-text">Team : ${title}</span></h1></div>
      <div id="content" class="view"><div id="main-content" class="wiki-content group">${main}</div>${after}</div></div></div></body></html>`;
    const confluence = await zipOf({
      'TEAM/index.html': `<html><body><div id="main-content" class="pageSection"><table class="confluenceTable">
        <tr><th class="confluenceTh">Key</th><td class="confluenceTd">TEAM</td></tr><tr><th class="confluenceTh">Name</th><td class="confluenceTd">Team Space · 团队</td></tr>
        <tr><th class="confluenceTh">Description</th><td class="confluenceTd">Plans and reviews</td></tr></table></div>
        <div class="pageSection"><h2 class="pageSectionTitle">Available Pages:</h2><ul><li><a href="Home_1.html">Home</a>
        <ul><li><a href="Plan-2026_2.html">Plan 2026</a><ul><li><a href="3.html">评审 / Review</a></li></ul></li></ul></li></ul></div></body></html>`,
      'TEAM/Home_1.html': page('Home', '<p>Start with the <a href="Plan-2026_2.html">plan</a>.</p>'),
      'TEAM/Plan-2026_2.html': page('Plan 2026', `<h2 id="Plan-Goals">Goals</h2><table class="confluenceTable"><tbody><tr><th>Goal</th><th>Owner</th></tr><tr><td>Ship</td><td>Li Lei</td></tr></tbody></table>
        <div class="code panel"><div class="codeContent"><pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: bash">npm run build &amp;&amp; npm test</pre></div></div>
        <p>See the <a href="3.html#review-notes">review</a>.</p><p><img class="confluence-embedded-image" src="attachments/2/shot.png" alt="shot"></p>`,
      '<div class="pageSection group"><h2 class="pageSectionTitle">Attachments:</h2><a href="attachments/2/shot.png">shot.png</a> <a href="attachments/2/notes.txt">notes.txt</a></div>'),
      'TEAM/3.html': page('评审 / Review', '<h2 id="review-notes">结论</h2><p>按时交付。</p>'),
      'TEAM/attachments/2/shot.png': { bytes: await png(16, 9), mode: 0o100644 },
      'TEAM/attachments/2/notes.txt': 'meeting notes',
      'TEAM/styles/site.css': 'body {}',
    });
    const report = await importZip(admin, confluence, 'conf');
    expect(report.spaces[0]).toMatchObject({ key: 'conf', created: 3 });
    expect(report.skipped).toEqual([]);
    expect(findSpace('conf')).toMatchObject({ name: 'Team Space · 团队', description: 'Plans and reviews' });
    const home = viewPage(admin, 'conf', '');
    expect(home.page.title).toBe('Home');
    expect(home.html).toContain('href="/s/conf/Plan%202026"');
    const plan = viewPage(admin, 'conf', 'Plan 2026', { markdown: true });
    expect(plan.html).toMatch(/<table>[\s\S]*<th>Goal<\/th>[\s\S]*<td>Li Lei<\/td>/);
    expect(plan.html).toContain('<code>npm run build &amp;&amp; npm test');
    expect(plan.html).toContain(`href="/s/conf/Plan%202026/${encodeURIComponent('评审 - Review')}#review-notes"`);
    expect(plan.html).toMatch(/<img src="\/files\/\d+\/shot\.png" alt="shot"/);
    expect(plan.markdown).toMatch(/## Attachments\n\n- \[notes\.txt\]\(\/files\/\d+\/notes\.txt\)/);
    expect(listAttachments(admin, 'conf', 'Plan 2026').map((f) => f.name).sort()).toEqual(['notes.txt', 'shot.png']);
    expect(viewPage(admin, 'conf', 'Plan 2026/评审 - Review').page.title).toBe('评审 / Review');
  });

  it('gives the new space the visibility the admin chose, over what the archive says', async () => {
    const open = await zipOf({ 'hr/_space.yaml': 'name: HR\nvisibility: org\n', 'hr/index.md': '# Salaries' });
    await importZip(admin, open, 'hr-import', { visibility: 'restricted' });
    expect(findSpace('hr-import')).toMatchObject({ name: 'HR', visibility: 'restricted' });
    expect((await failure(() => viewPage(member, 'hr-import', ''))).status).toBe(404);
    await importZip(admin, await zipOf({ 'it/index.md': '# IT' }), 'it-import', { visibility: 'org' });
    expect(findSpace('it-import')?.visibility).toBe('org');
    // Not chosen (an API client of before): the archive's own setting, else everyone signed in.
    await importZip(admin, open, 'hr-as-archived');
    expect(findSpace('hr-as-archived')?.visibility).toBe('org');
    const bad = await failure(() => importZip(admin, open, 'hr-bad', { visibility: 'everyone' }));
    expect([bad.status, bad.extra.code]).toEqual([400, 'badParam']);
    expect(findSpace('hr-bad')).toBeUndefined();
  });

  it('refuses an existing space, a bad key and anyone but a site admin, before reading the archive', async () => {
    const zip = await zipOf({ 'x/index.md': '# X' });
    expect((await failure(() => importZip(admin, zip, 'eng'))).extra.code).toBe('spaceExists');
    expect((await failure(() => importZip(admin, zip, 'Bad Key'))).extra.code).toBe('spaceKey');
    const denied = await failure(() => importZip(member, zip, 'mine'));
    expect([denied.status, denied.message]).toEqual([404, 'Not found']);
    expectNothingLeft('mine');
  });
});

describe('an import cut off', () => {
  it("leaves a folder the server's next start removes, and nothing else", () => {
    const left = path.join(dataDir, 'import-cutoff');
    fs.mkdirSync(path.join(left, 'unpacked', 'notes'), { recursive: true });
    fs.writeFileSync(path.join(left, 'unpacked', 'notes', 'page.md'), '# Page');
    const before = fs.readdirSync(dataDir).filter((f) => f !== 'import-cutoff');
    expect(removeAbandonedImports()).toBe(1);
    expect(fs.readdirSync(dataDir)).toEqual(before);
    expect(interruptedImports(admin)).toEqual([]); // it had not made a space
  });

  it('when the server stopped during it, its space is said to be unfinished at the next start, until an admin keeps it', async () => {
    const startedAt = Date.now();
    await importZip(admin, await zipOf({ 'halfway/index.md': '# Halfway\n\nThe first page.' }), 'halfway');
    // What a server stopped during that import leaves: its folder, saying who started it and when.
    // An older space under another folder's key (eng) was not made by its import: not said to be unfinished.
    for (const [folder, space] of [['import-stopped', 'halfway'], ['import-older', 'eng']] as const) {
      fs.mkdirSync(path.join(dataDir, folder, 'spaces', space), { recursive: true });
      fs.writeFileSync(path.join(dataDir, folder, 'import.json'), JSON.stringify({ space, importerId: admin.id, startedAt }));
    }
    expect(removeAbandonedImports()).toBe(2);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('import-'))).toEqual([]);
    const [cut, ...others] = interruptedImports(admin);
    expect(others).toEqual([]);
    expect(cut).toMatchObject({ space: 'halfway', name: 'halfway', pages: 1, startedAt: new Date(startedAt).toISOString() });
    expect(listAudit(admin, { action: 'space.import.cut' })[0]).toMatchObject({ actor: 'admin@example.com', subject: 'halfway', after: { pages: 1 } });

    expect((await failure(() => interruptedImports(member))).status).toBe(404);
    expect((await failure(() => keepInterruptedImport(member, 'halfway'))).status).toBe(404);
    expect((await failure(() => keepInterruptedImport(admin, 'eng'))).status).toBe(404);
    expect(keepInterruptedImport(admin, 'halfway')).toEqual({ kept: 'halfway', pages: 1 });
    expect(interruptedImports(admin)).toEqual([]);
    expect((await failure(() => keepInterruptedImport(admin, 'halfway'))).status).toBe(404);
    expect(listAudit(admin, { action: 'space.import.kept' })[0]).toMatchObject({ actor: 'admin@example.com', subject: 'halfway' });
  });

  it('when its job dies midway, the request says how far it came and the space is said to be unfinished', async () => {
    const pages = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`cutoff/page-${i}.md`, `# Page ${i}\n\nText ${i}.`]));
    const importing = importZip(admin, await zipOf(pages), 'cutoff');
    // Killed once its first batch of pages is committed, as the kernel's OOM killer would.
    let job = '';
    for (let i = 0; i < 600 && !job; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const running = importStatus(admin).imports.find((r) => r.space === 'cutoff');
      if (running && running.pages > 0) {
        const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).toString().split('\n');
        job = children.find((line) => line.includes('import-job.ts'))?.trim().split(/\s+/)[0] ?? '';
      }
    }
    expect(job).toMatch(/^\d+$/);
    process.kill(Number(job), 'SIGKILL');
    const err = await failure(() => importing);
    expect([err.status, err.extra.code, err.extra.key]).toEqual([500, 'importCut', 'cutoff']);
    expect(err.extra.pages).toBeGreaterThanOrEqual(500);
    expect(err.extra.pages).toBeLessThan(1500);
    expect(importStatus(admin)).toEqual({ imports: [], interrupted: [expect.objectContaining({ space: 'cutoff', pages: err.extra.pages })] });
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('import-'))).toEqual([]);
  });
});

describe('hostile archives change nothing', () => {
  const refused = async (zip: Buffer, code: string, status = 400) => {
    const err = await failure(() => importZip(admin, zip, 'hostile'));
    expect([err.status, err.extra.code]).toEqual([status, code]);
    expectNothingLeft('hostile');
    return err;
  };

  it('a corrupt file, an empty archive and one without Markdown', async () => {
    await refused(Buffer.from('PK\u0003\u0004\u0000\u0000\u0000'), 'notZip');
    await refused(await zipOf({ 'empty/': '' }), 'noPages');
    await refused(await zipOf({ 'a/picture.png': 'not a page' }), 'noPages');
  });

  it('zip-slip and an absolute entry', async () => {
    const slip = await refused(renamed(await zipOf({ 'text.md': '# Text', 'xx/xx/xx/etc/evil.md': 'evil' }), 'xx/xx/xx/etc/evil.md', '../../../etc/evil.md'), 'unsafeArchive');
    expect(slip.message).toContain('../../../etc/evil.md');
    expect(fs.existsSync(path.resolve(dataDir, '../../etc/evil.md'))).toBe(false);
    await refused(renamed(await zipOf({ 'a/index.md': '# A', 'Xetc/passwd.md': 'root' }), 'Xetc/passwd.md', '/etc/passwd.md'), 'unsafeArchive');
    expect(fs.existsSync('/etc/passwd.md')).toBe(false);
  });

  it('a symbolic link', async () => {
    const err = await refused(await zipOf({ 'a/index.md': '# A', 'a/secrets.md': { bytes: Buffer.from('/etc/shadow'), mode: 0o120777 } }), 'unsafeArchive');
    expect(err.message).toContain('a/secrets.md');
  });

  it('a zip bomb and too many files', async () => {
    ARCHIVE_LIMITS.unpackedBytes = 8 * 1024 * 1024;
    await refused(await zipOf({ 'a/index.md': '# A', 'a/zeros.md': { bytes: Buffer.alloc(9 * 1024 * 1024), mode: 0o100644 } }), 'archiveTooLarge', 413);
    ARCHIVE_LIMITS.entries = 3;
    await refused(await zipOf({ 'a/1.md': '1', 'a/2.md': '2', 'a/3.md': '3', 'a/4.md': '4' }), 'archiveTooLarge', 413);
  });

  it('an export in parts: each part checked whole, all within the one limit', async () => {
    const inParts = async (...parts: Buffer[]) => zipOf(Object.fromEntries(parts.map((bytes, i) => [`Export-Part-${i + 1}.zip`, { bytes, mode: 0o100644 }])));
    const slip = renamed(await zipOf({ 'text.md': '# Text', 'xx/xx/evil.md': 'evil' }), 'xx/xx/evil.md', '../../evil.md');
    expect((await refused(await inParts(await zipOf({ 'a/index.md': '# A' }), slip), 'unsafeArchive')).message).toContain('../../evil.md');
    await refused(await inParts(Buffer.from('not a zip')), 'notZip');
    await refused(await inParts(await zipOf({ 'a/picture.png': 'not a page' })), 'noPages');
    ARCHIVE_LIMITS.entries = 5; // the outer zip's 2 entries, then 3 + 3 in the parts
    await refused(await inParts(await zipOf({ 'a/1.md': '1', 'a/2.md': '2', 'a/3.md': '3' }), await zipOf({ 'a/4.md': '4', 'a/5.md': '5', 'a/6.md': '6' })), 'archiveTooLarge', 413);
  });

  it('space settings it cannot use, named as in the archive', async () => {
    const err = await refused(await zipOf({ 'a/_space.yaml': 'visibility: everyone\n', 'a/index.md': '# A' }), 'badSpaceSettings');
    expect(err.message).toMatch(/^a\/_space\.yaml: /); // as in the archive, not under the key it was imported as
  });

  it('the same name twice', async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('# One'), 'a/page.md');
    zip.addBuffer(Buffer.from('# Two'), 'a/page.md');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const err = await refused(Buffer.concat(chunks), 'unsafeArchive');
    expect(err.message).toBe('This archive cannot be imported: "a/page.md" is in it twice');
  });
});
