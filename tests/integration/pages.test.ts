import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/server/errors.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { diffRevisions, listRevisions, restoreRevision } from '../../src/server/pages/history.ts';
import { deletedPages, deletePage, movePage, restorePage } from '../../src/server/pages/move-page.ts';
import { movedPagePath } from '../../src/server/pages/redirects.ts';
import { pageHistory } from '../../src/server/pages/page-history.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { spaceNav } from '../../src/server/pages/tree.ts';
import type { Viewer } from '../../src/server/access/index.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
beforeAll(async () => ({ admin, member } = await freshEnvironment('pages')));

async function statusOf(fn: () => unknown): Promise<number> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof DomainError) return err.status;
    throw err;
  }
  return 200;
}

describe('saving and history', () => {
  it('creates a page, appends revisions, and skips saves that change nothing', async () => {
    const first = await savePage(admin, { space: 'eng', path: 'onboarding', title: 'Onboarding', markdown: '# Welcome\n\nHello.' });
    expect(first).toMatchObject({ revision: 1, created: true });
    const second = await savePage(member, { space: 'eng', path: 'onboarding', markdown: '# Welcome\n\nHello, team.', baseRevision: 1, message: 'greet the team' });
    expect(second).toMatchObject({ revision: 2, created: false, changed: true });
    const same = await savePage(member, { space: 'eng', path: 'onboarding', markdown: '# Welcome\n\nHello, team.', baseRevision: 2 });
    expect(same).toMatchObject({ revision: 2, changed: false });
    const revs = listRevisions(admin, 'eng', 'onboarding');
    expect(revs.map((r) => r.revision)).toEqual([2, 1]);
    expect(revs[0]).toMatchObject({ message: 'greet the team', author: { name: '李雷', email: 'li.lei@example.com' } });
    const view = viewPage(admin, 'eng', 'onboarding');
    expect(view.html).toContain('Hello, team.');
    expect(view.author?.email).toBe('li.lei@example.com');
  });

  it('answers a stale base revision with a conflict carrying the current text, and loses nothing', async () => {
    await savePage(admin, { space: 'eng', path: 'conflict', title: 'Conflict', markdown: 'v1' });
    await savePage(admin, { space: 'eng', path: 'conflict', markdown: 'v2 by Ada', baseRevision: 1 });
    const error = await savePage(member, { space: 'eng', path: 'conflict', markdown: 'v2 by Li', baseRevision: 1 }).catch((err: DomainError) => err);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).status).toBe(409);
    expect((error as DomainError).extra.current).toMatchObject({ revision: 2, markdown: 'v2 by Ada' });
    expect(viewPage(admin, 'eng', 'conflict', { markdown: true }).markdown).toBe('v2 by Ada');
    expect(listRevisions(admin, 'eng', 'conflict')).toHaveLength(2);
  });

  it('diffs two revisions and restores an old one as a new revision', async () => {
    await savePage(admin, { space: 'eng', path: 'diffs', title: 'Diffs', markdown: 'line one\nline two\nline three\n' });
    await savePage(admin, { space: 'eng', path: 'diffs', markdown: 'line one\nline 2\nline three\nline four\n', baseRevision: 1 });
    const diff = diffRevisions(admin, 'eng', 'diffs', 1, 2);
    expect(diff.added).toBe(2);
    expect(diff.removed).toBe(1);
    const kinds = diff.hunks.flatMap((h) => h.lines.map((l) => `${l.kind}:${l.text}`));
    expect(kinds).toContain('del:line two');
    expect(kinds).toContain('add:line 2');
    const restored = await restoreRevision(admin, 'eng', 'diffs', 1);
    expect(restored.revision).toBe(3);
    expect(viewPage(admin, 'eng', 'diffs', { markdown: true }).markdown).toBe('line one\nline two\nline three\n');
  });

  it('treats NFC and NFD spellings and CRLF line ends as the same page and text', async () => {
    await savePage(admin, { space: 'eng', path: 'caf\u00e9', title: 'Café', markdown: 'a\r\nb' });
    const again = await savePage(admin, { space: 'eng', path: 'cafe\u0301', title: 'Café', markdown: 'a\nb' });
    expect(again).toMatchObject({ created: false, changed: false });
  });
});

describe('links, tree, moving and deleting', () => {
  it('shows a missing link until the page exists, then resolves it and lists the backlink', async () => {
    await savePage(admin, { space: 'eng', path: 'vpn', title: 'VPN', markdown: 'See [[Laptop setup]] and [[hr:请假流程]].' });
    const before = viewPage(admin, 'eng', 'vpn').html;
    expect(before).toMatch(/class="wikilink missing"/);
    await savePage(admin, { space: 'eng', path: 'laptop', title: 'Laptop setup', markdown: 'Steps.' });
    await savePage(admin, { space: 'hr', path: 'leave', title: '请假流程', markdown: '流程说明' });
    const after = viewPage(admin, 'eng', 'vpn').html;
    expect(after).not.toMatch(/missing/);
    expect(after).toContain('href="/s/eng/laptop"');
    expect(after).toContain('href="/s/hr/leave"');
    expect(viewPage(admin, 'hr', 'leave').backlinks).toEqual([{ space: 'eng', path: 'vpn', title: 'VPN' }]);
  });

  it('moves a page with its children and keeps links working', async () => {
    await savePage(admin, { space: 'eng', path: 'guides', title: 'Guides', markdown: 'x' });
    await savePage(admin, { space: 'eng', path: 'guides/git', title: 'Git', markdown: 'y' });
    await savePage(admin, { space: 'eng', path: 'links-to-git', title: 'Links to git', markdown: '[[Git]]' });
    movePage(admin, 'eng', 'guides', 'handbook/guides');
    expect(viewPage(admin, 'eng', 'handbook/guides/git').page.title).toBe('Git');
    expect(await statusOf(() => viewPage(admin, 'eng', 'guides/git'))).toBe(404);
    expect(viewPage(admin, 'eng', 'links-to-git').html).toContain('href="/s/eng/handbook/guides/git"');
    const nav = spaceNav(admin, 'eng', 'handbook/guides/git');
    const handbook = nav.nodes.find((n) => n.path === 'handbook');
    expect(handbook?.title).toBeNull(); // a folder without its own page
    expect(handbook?.children?.[0]?.children?.[0]?.title).toBe('Git');
    expect(nav.crumbs.map((c) => c.label)).toEqual(['handbook', 'Guides', 'Git']);
  });

  it('leads an old path to the page wherever it moved, until another page takes the path', async () => {
    await savePage(admin, { space: 'eng', path: 'wifi', title: 'Wi-Fi', markdown: 'x' });
    await savePage(admin, { space: 'eng', path: 'wifi/guest', title: 'Guest Wi-Fi', markdown: 'y' });
    await savePage(admin, { space: 'eng', path: 'by-path', title: 'By path', markdown: 'See [[wifi/guest]].' });
    const { spaceId, updatedAt } = viewPage(admin, 'eng', 'wifi').page;
    const eng = { id: spaceId };
    movePage(admin, 'eng', 'wifi', 'network/wifi');
    // Its text did not change: "Revision 1 · <time>" keeps the time of revision 1.
    expect(viewPage(admin, 'eng', 'network/wifi').page.updatedAt).toBe(updatedAt);
    movePage(admin, 'eng', 'network/wifi', 'it/wifi'); // moved twice: no chain, straight to where it is
    expect(movedPagePath(eng, 'wifi')).toBe('it/wifi');
    expect(movedPagePath(eng, 'wifi/guest')).toBe('it/wifi/guest');
    expect(movedPagePath(eng, 'network/wifi/guest')).toBe('it/wifi/guest');
    expect(movedPagePath(eng, 'never-was')).toBeNull();
    // A link written with the old path follows the page.
    expect(viewPage(admin, 'eng', 'by-path').html).toContain('href="/s/eng/it/wifi/guest"');
    // And the page lists it among its backlinks, until a new page takes the old path.
    expect(viewPage(admin, 'eng', 'it/wifi/guest').backlinks.map((b) => b.path)).toEqual(['by-path']);
    await savePage(admin, { space: 'eng', path: 'wifi/guest', title: 'Another guest page', markdown: 'z' });
    expect(viewPage(admin, 'eng', 'it/wifi/guest').backlinks).toEqual([]);
    expect(viewPage(admin, 'eng', 'wifi/guest').backlinks.map((b) => b.path)).toEqual(['by-path']);
    deletePage(admin, 'eng', 'wifi/guest');
    expect(viewPage(admin, 'eng', 'it/wifi/guest').backlinks.map((b) => b.path)).toEqual(['by-path']);
    // A page moved back to an old path: its redirect from there is void.
    movePage(admin, 'eng', 'it/wifi', 'wifi');
    expect(movedPagePath(eng, 'wifi')).toBeNull();
    expect(movedPagePath(eng, 'it/wifi')).toBe('wifi');
    // A deleted page leads nowhere; restored, it does again.
    const { id } = deletePage(admin, 'eng', 'wifi/guest');
    expect(movedPagePath(eng, 'it/wifi/guest')).toBeNull();
    restorePage(admin, 'eng', id);
    expect(movedPagePath(eng, 'it/wifi/guest')).toBe('wifi/guest');
    // Each page's history says where it went, the page under the moved one included.
    const events = pageHistory(admin, 'eng', 'wifi/guest').flatMap((e) => (e.kind === 'event' ? [[e.action, e.changes.path?.from, e.changes.path?.to]] : []));
    expect(events).toEqual([
      ['page.restore', undefined, undefined], ['page.delete', undefined, undefined],
      ['page.move', 'it/wifi/guest', 'wifi/guest'], ['page.move', 'network/wifi/guest', 'it/wifi/guest'], ['page.move', 'wifi/guest', 'network/wifi/guest'],
    ]);
  });

  it('soft-deletes and restores a page', async () => {
    await savePage(admin, { space: 'eng', path: 'temp', title: 'Temporary', markdown: 'soon gone' });
    deletePage(member, 'eng', 'temp');
    expect(await statusOf(() => viewPage(admin, 'eng', 'temp'))).toBe(404);
    const gone = deletedPages(admin, 'eng').find((p) => p.path === 'temp')!;
    expect(gone).toBeDefined();
    restorePage(admin, 'eng', gone.id);
    expect(viewPage(admin, 'eng', 'temp', { markdown: true }).markdown).toBe('soon gone');
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, () => unknown, number][] = [
    ['empty title', () => savePage(admin, { space: 'eng', path: 'x1', title: '   ', markdown: 'x' }), 400],
    ['dot-dot path', () => savePage(admin, { space: 'eng', path: 'a/../b', title: 'T', markdown: 'x' }), 400],
    ['full-width dot-dot', () => savePage(admin, { space: 'eng', path: '．．／etc', title: 'T', markdown: 'x' }), 400],
    ['backslash path', () => savePage(admin, { space: 'eng', path: '..\\x', title: 'T', markdown: 'x' }), 400],
    ['control character in path', () => savePage(admin, { space: 'eng', path: 'a\u0001b', title: 'T', markdown: 'x' }), 400],
    ['CR/LF in title', () => savePage(admin, { space: 'eng', path: 'x2', title: 'a\r\nSet-Cookie: x', markdown: 'x' }), 400],
    ['513-byte path (171 CJK characters)', () => savePage(admin, { space: 'eng', path: '文'.repeat(171), title: 'T', markdown: 'x' }), 400],
    ['body of 2 MB + 1 byte', () => savePage(admin, { space: 'eng', path: 'big', title: 'T', markdown: 'x'.repeat(2 * 1024 * 1024 + 1) }), 413],
    ['unknown space', () => savePage(admin, { space: 'nope', path: 'x', title: 'T', markdown: 'x' }), 404],
    ['negative base revision', () => savePage(admin, { space: 'eng', path: 'onboarding', markdown: 'x', baseRevision: -1 }), 400],
    ['fractional base revision', () => savePage(admin, { space: 'eng', path: 'onboarding', markdown: 'x', baseRevision: 1.5 }), 400],
    ['future base revision', () => savePage(admin, { space: 'eng', path: 'onboarding', markdown: 'x', baseRevision: 99 }), 400],
    ['anonymous save', () => savePage(null, { space: 'eng', path: 'x3', title: 'T', markdown: 'x' }), 401],
  ];
  it.each(cases)('%s → %i', async (_name, fn, status) => {
    const before = listRevisions(admin, 'eng', 'onboarding').length;
    expect(await statusOf(fn)).toBe(status);
    expect(listRevisions(admin, 'eng', 'onboarding').length).toBe(before);
  });

  it('a 512-byte path is accepted', async () => {
    expect((await savePage(admin, { space: 'eng', path: `${'文'.repeat(170)}ab`, title: 'Long', markdown: 'x' })).created).toBe(true);
  });
});
