import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { importFolders, importSpace, type ImportOptions, type ImportReport } from '../../src/server/content-io/import-folder.ts';
import { RenderPool } from '../../src/server/pages/render-pool.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { listRevisions } from '../../src/server/pages/history.ts';
import { spaceSummary } from '../../src/server/spaces/spaces.ts';
import { updateSpace } from '../../src/server/admin/spaces.ts';
import { png } from '../fixtures/attachments.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let folder: string;

/** Writes files into `root`, making their folders. */
const writerIn = (root: string) => (rel: string, body: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), body);
};
beforeAll(async () => {
  ({ admin } = await freshEnvironment('import'));
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-src-'));
  const write = writerIn(folder);
  write('handbook/_space.yaml', 'name: Handbook\nkind: policy\ndescription: How we work\n');
  write('handbook/index.md', '---\ntitle: Welcome\ntags: [intro, 入门]\n---\nStart here. See [[Travel]].');
  write('handbook/travel.md', '\uFEFF# Travel\r\n\r\nBook trains early.\r\n');
  write('handbook/tools/hammer.md', '# Hammer\n\nSee [[Tools]] and [[Wrench]].');
  write('handbook/tools/wrench.md', '# Wrench\n\nSee [[Hammer]].');
  write('handbook/tools/index.md', '# Tools {#tools}\n\nThe tools we use.');
  write('handbook/tools/%.md', '# %\n\n> Percent.');
  write('handbook/tools/[[.md', '# [[\n\n> Test expression: `[[ -f file ]]`.');
  write('handbook/tools/g[.md', 'no heading here');
  write('handbook/tools/..md', '# .\n\n> Run a script in the current shell.');
  write('handbook/.git/config', 'not content');
  write('handbook/bad-utf8.md', Buffer.from([0x23, 0x20, 0xc3, 0x28]));
  write('handbook/logo.png', Buffer.from([0x89, 0x50]));
  write('README.md', 'not in a space');
});

const run = async (): Promise<ImportReport> => {
  const pool = new RenderPool(1);
  try {
    return await importFolders(folder, pool);
  } finally {
    await pool.close();
  }
};

/** One folder imported as the space `key`, on a pool of its own; the import's report. */
const importOne = async (dir: string, key: string, opts: ImportOptions = {}): Promise<ImportReport> => {
  const report: ImportReport = { spaces: [], skipped: [] };
  const pool = new RenderPool(1);
  try {
    await importSpace(dir, key, report, pool, () => {}, opts);
  } finally {
    await pool.close();
  }
  return report;
};

describe('folder import', () => {
  it('imports each subfolder as a space, with titles, tags, index pages and odd names', async () => {
    const report = await run();
    expect(report.spaces).toEqual([{ key: 'handbook', created: 9, updated: 0, unchanged: 0 }]);
    expect(report.skipped.map((s) => [path.basename(s.file), s.reason])).toEqual(expect.arrayContaining([
      ['bad-utf8.md', expect.stringMatching(/UTF-8/i)],
      ['logo.png', 'not a page, and no page links to it'],
      ['README.md', 'not inside a space folder'],
    ]));
    expect(spaceSummary(admin, 'handbook')).toMatchObject({ name: 'Handbook', kind: 'policy', description: 'How we work', pageCount: 9 });
    const home = viewPage(admin, 'handbook', '');
    expect(home.page).toMatchObject({ title: 'Welcome', tags: ['intro', '入门'] });
    expect(home.html).toContain('href="/s/handbook/travel"');
    expect(viewPage(admin, 'handbook', 'travel', { markdown: true }).markdown).toBe('# Travel\n\nBook trains early.\n');
    expect(viewPage(admin, 'handbook', 'tools').page.title).toBe('Tools');
    expect(viewPage(admin, 'handbook', 'tools/%').page.title).toBe('%');
    expect(viewPage(admin, 'handbook', 'tools/[[').page.title).toBe('[[');
    expect(viewPage(admin, 'handbook', 'tools/g[').page.title).toBe('g[');
    expect(viewPage(admin, 'handbook', 'tools/%2E').page.title).toBe('.');
    // Pages rendered in parallel within one batch still link to each other.
    expect(viewPage(admin, 'handbook', 'tools/hammer').html).not.toContain('missing');
    expect(viewPage(admin, 'handbook', 'tools/wrench').html).toContain('href="/s/handbook/tools/hammer"');
    expect(report.skipped.map((s) => s.file)).not.toContain(expect.stringContaining('.git'));
  });

  it('is idempotent, and a changed file becomes a new revision', async () => {
    expect((await run()).spaces[0]).toEqual({ key: 'handbook', created: 0, updated: 0, unchanged: 9 });
    fs.appendFileSync(path.join(folder, 'handbook/travel.md'), 'Keep receipts.\n');
    expect((await run()).spaces[0]).toEqual({ key: 'handbook', created: 0, updated: 1, unchanged: 8 });
    expect(listRevisions(admin, 'handbook', 'travel').map((r) => r.revision)).toEqual([2, 1]);
  });

  it('imports one folder as one named space', async () => {
    const report = await importOne(path.join(folder, 'handbook/tools'), 'tools-only');
    expect(report.spaces[0]).toMatchObject({ key: 'tools-only', created: 7 });
  });

  it("sets only what _space.yaml says: an admin's restriction survives a re-import; reference collections and search weights come from the file or --reference", async () => {
    const pool = new RenderPool(1);
    const report: ImportReport = { spaces: [], skipped: [] };
    try {
      updateSpace(admin, 'handbook', { visibility: 'restricted' });
      await importFolders(folder, pool); // its _space.yaml says nothing of visibility
      expect(spaceSummary(admin, 'handbook')).toMatchObject({ visibility: 'restricted', name: 'Handbook', kind: 'policy', reference: false });

      const vendor = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-vendor-'));
      fs.writeFileSync(path.join(vendor, '_space.yaml'), 'name: Vendor manual\nsearchWeight: 0.8\n');
      fs.writeFileSync(path.join(vendor, 'setup.md'), '# Setup\n\nInstall it.');
      await importSpace(vendor, 'vendor', report, pool, () => {}, { reference: true });
      expect(spaceSummary(admin, 'vendor')).toMatchObject({ name: 'Vendor manual', reference: true, searchWeight: 0.8, visibility: 'org' });

      fs.writeFileSync(path.join(vendor, '_space.yaml'), 'searchWeight: 9\n');
      await expect(importSpace(vendor, 'vendor', report, pool)).rejects.toThrow(/_space\.yaml: searchWeight is a number from 0.5 to 2/);
      expect(spaceSummary(admin, 'vendor')).toMatchObject({ reference: true, searchWeight: 0.8 });
    } finally {
      await pool.close();
    }
  });

  it("keeps Wiki.js's links: pages and images by their address from the folder's root, images with a size", async () => {
    const wiki = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-wikijs-'));
    const write = writerIn(wiki);
    write('install.md', '---\ntitle: Installation\n---\nRead [the requirements](/install/requirements) first, then [upgrade](/install/upgrade#backup).\n\n![Bold](/assets/ui/bold.png =x30)\n\nSee [search](/search).');
    write('install/requirements.md', '---\ntitle: Requirements\n---\nBack to [Installation](/install).');
    write('install/upgrade.md', '---\ntitle: Upgrade\n---\n## Backup\n\nFirst.');
    write('assets/ui/bold.png', await png(10, 6));
    const report = await importOne(wiki, 'wikijs');
    expect(report.spaces[0]).toMatchObject({ key: 'wikijs', created: 3 });
    expect(report.skipped).toEqual([]);
    const install = viewPage(admin, 'wikijs', 'install');
    expect(install.html).toContain('href="/s/wikijs/install/requirements"');
    expect(install.html).toContain('href="/s/wikijs/install/upgrade#backup"');
    expect(install.html).toContain('href="/search"'); // no such page here: left as written
    expect(install.html).toMatch(/<img src="\/files\/\d+\/bold\.png" alt="Bold"/);
    expect(viewPage(admin, 'wikijs', 'install/requirements').html).toContain('href="/s/wikijs/install"');
  });

  it("reads a Jekyll or Eleventy docs site's Liquid tags: page links (and links after the site's base path) reach the pages by file, permalink or old address, channels and alerts read as text", async () => {
    const site = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-jekyll-'));
    const write = writerIn(site);
    write('travel/travel-101.md', '---\ntitle: Travel 101\npermalink: /travel-101/\n---\n## Per diem\n\nAsk in {% slack_channel "travel" %}.');
    write('travel/guidance.md', '---\ntitle: Travel guidance\nredirect_from:\n  - /july-guidance/\n---\nMission critical only.');
    write('leave.md', [
      '---', 'title: Leave', '---',
      'Start with [Travel 101]({% page "/travel-101/" %}), the [per diem\n  rules]({% page "/travel/travel-101/#per-diem" %}) and [the guidance]({% page "/july-guidance/" %}).',
      'Book with [the rules]({{ site.baseurl }}/july-guidance/).',
      '', '{% alert "Heads up!" %}', '  Book two weeks ahead.', '{% endalert %}', '',
      '{% comment %}Draft: {% page "/nowhere/" %}{% endcomment %}{% include "footer.html" %}',
      '', 'Write `{% page "/x/" %}` to link a page.',
    ].join('\n'));
    const report = await importOne(site, 'jekyll');
    expect(report.spaces[0]).toMatchObject({ key: 'jekyll', created: 3 });
    const leave = viewPage(admin, 'jekyll', 'leave', { markdown: true });
    expect(leave.markdown).toContain('[[travel/travel-101|Travel 101]]');
    expect(leave.markdown).toContain('[[travel/travel-101#per-diem|per diem rules]]');
    expect(leave.markdown).toContain('[[travel/guidance|the guidance]]');
    expect(leave.markdown).toContain('[[travel/guidance|the rules]]');
    expect(leave.html).toContain('href="/s/jekyll/travel/travel-101#per-diem"');
    expect(leave.html).toMatch(/<blockquote>\s*<p><strong>Heads up!<\/strong><\/p>\s*<p>Book two weeks ahead\.<\/p>/);
    expect(leave.html).not.toContain('Draft');
    expect(leave.html).not.toContain('footer.html');
    expect(leave.html).toContain('<code>{% page "/x/" %}</code>'); // an example, as written
    expect(viewPage(admin, 'jekyll', 'travel/travel-101').html).toContain('Ask in #travel.');
  });

  it("makes Confluence's HTML export Markdown in the scratch folder it is given (npm run import), leaving the export as it was", async () => {
    const confluence = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-conf-'));
    const write = writerIn(confluence);
    write('TEAM/index.html', `<html><body><div class="pageSection"><h2 class="pageSectionTitle">Available Pages:</h2>
      <ul><li><a href="Runbook_7.html">Runbook</a></li></ul></div></body></html>`);
    write('TEAM/Runbook_7.html', '<html><body><div id="main-content"><h2 id="Runbook-Restart">Restart</h2><p>Run <code>systemctl restart dossier</code>.</p></div></body></html>');
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-import-scratch-'));
    const report = await importOne(path.join(confluence, 'TEAM'), 'runbooks', { scratch });
    expect(report).toMatchObject({ spaces: [{ key: 'runbooks', created: 1 }], skipped: [] });
    const home = viewPage(admin, 'runbooks', '', { markdown: true });
    expect([home.page.title, home.markdown]).toEqual(['Runbook', '## Restart\n\nRun `systemctl restart dossier`.\n']);
    expect(fs.readdirSync(path.join(confluence, 'TEAM')).sort()).toEqual(['Runbook_7.html', 'index.html']);
    expect(fs.readdirSync(path.join(scratch, 'TEAM'))).toContain('index.md');
  });
});
