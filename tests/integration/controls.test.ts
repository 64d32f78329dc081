// Controls follow the server's rule: for every kind of viewer, pageControls(viewer, space) offers an
// action exactly when the domain function behind it succeeds for that viewer (real SQLite). And the
// reads the delete and move screens make: pages under a path, where a delete returns to, and which
// deleted page a viewer may undo.
import { beforeAll, describe, expect, it } from 'vitest';
import { pageControls, type Viewer } from '../../src/server/access/index.ts';
import { addGroup, setGroupMembers } from '../../src/server/admin/groups.ts';
import { setGrants, spaceGrants } from '../../src/server/admin/grants.ts';
import { createSpace } from '../../src/server/admin/spaces.ts';
import { createUser } from '../../src/server/auth/users.ts';
import { DomainError } from '../../src/server/errors.ts';
import { restoreRevision } from '../../src/server/pages/history.ts';
import { countPagesUnder, deletedPages, deletePage, movePage, nearestLiveAncestor, ownDeletedPage, restorePage } from '../../src/server/pages/move-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { findSpace } from '../../src/server/spaces/spaces.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
const people: Record<string, Viewer> = {};
const person = async (email: string): Promise<Viewer> =>
  ({ id: await createUser({ email, name: email.split('@')[0]!, password: 'a long enough password' }), email, name: email, admin: false, locale: null });

beforeAll(async () => {
  ({ admin } = await freshEnvironment('controls'));
  people.siteAdmin = admin;
  for (const who of ['outsider', 'reader', 'groupEditor', 'editor', 'spaceAdmin']) people[who] = await person(`${who.toLowerCase()}@example.com`);
  createSpace(admin, { key: 'vault', name: 'Vault', kind: 'policy', visibility: 'restricted' });
  addGroup(admin, 'writers');
  setGroupMembers(admin, 'writers', ['groupeditor@example.com']);
  setGrants(admin, 'vault', [
    { user: 'reader@example.com', role: 'reader' }, { group: 'writers', role: 'editor' },
    { user: 'editor@example.com', role: 'editor' }, { user: 'spaceadmin@example.com', role: 'admin' },
  ]);
  await savePage(admin, { space: 'vault', path: '', title: 'Vault', markdown: 'Home.' });
  for (const path of ['a', 'a/b', 'a/b/c', 'a/b/d', 'ab', 'folder/x']) await savePage(admin, { space: 'vault', path, title: path, markdown: path });
  await savePage(admin, { space: 'vault', path: 'a', markdown: 'a, second', baseRevision: 1 });
});

async function allowed(fn: () => unknown): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    if (err instanceof DomainError && (err.status === 403 || err.status === 404)) return false;
    throw err;
  }
}

describe('pageControls', () => {
  it('offers each action exactly to the viewers the server lets do it', async () => {
    const vault = findSpace('vault')!;
    const seen: Record<string, unknown> = {};
    for (const [who, v] of Object.entries(people)) {
      const controls = pageControls(v, vault);
      const own = `by-${who.toLowerCase()}`;
      const server = {
        create: await allowed(() => savePage(v, { space: 'vault', path: own, title: own, markdown: 'x' })),
        edit: await allowed(() => savePage(v, { space: 'vault', path: 'ab', markdown: `edited by ${who}` })),
        restore: await allowed(() => restoreRevision(v, 'vault', 'a', 1)),
        move: await allowed(() => movePage(v, 'vault', 'folder/x', `folder/x-${who}`)),
        delete: await allowed(() => deletePage(v, 'vault', 'ab')),
        admin: await allowed(() => spaceGrants(v, 'vault')),
      };
      // Put things back for the next viewer (as the site admin).
      if (server.move) movePage(admin, 'vault', `folder/x-${who}`, 'folder/x');
      if (server.delete) restorePage(admin, 'vault', deletedPages(admin, 'vault').find((p) => p.path === 'ab')!.id);
      const { upload: _upload, ...offered } = controls;
      expect(offered, who).toEqual(server);
      expect(controls.upload, who).toBe(controls.edit);
      seen[who] = controls.edit;
    }
    expect(seen).toEqual({ siteAdmin: true, outsider: false, reader: false, groupEditor: true, editor: true, spaceAdmin: true });
    expect(pageControls(null, vault)).toEqual({ edit: false, create: false, move: false, delete: false, restore: false, upload: false, admin: false });
  });

  it('offers a signed-in user without grants nothing but reading in an org-visible space', () => {
    createSpace(admin, { key: 'open', name: 'Open', kind: 'general', visibility: 'org' });
    expect(Object.values(pageControls(people.outsider!, findSpace('open')!)).some(Boolean)).toBe(false);
  });
});

describe('what the delete and move screens read', () => {
  it('counts the live pages under a path, not its namesakes', async () => {
    const vault = findSpace('vault')!;
    expect(countPagesUnder(vault, 'a')).toBe(3); // a/b, a/b/c, a/b/d; not "ab"
    expect(countPagesUnder(vault, 'a/b')).toBe(2);
    expect(countPagesUnder(vault, 'a/b/c')).toBe(0);
    expect(countPagesUnder(vault, '')).toBe(0); // the home page does not move
    deletePage(admin, 'vault', 'a/b/d');
    expect(countPagesUnder(vault, 'a')).toBe(2);
    restorePage(admin, 'vault', deletedPages(admin, 'vault').find((p) => p.path === 'a/b/d')!.id);
  });

  it('returns a delete to the nearest page above that exists', () => {
    const vault = findSpace('vault')!;
    expect(nearestLiveAncestor(vault, 'a/b/c')).toBe('a/b');
    expect(nearestLiveAncestor(vault, 'folder/x')).toBe(''); // "folder" is a folder, not a page
    expect(nearestLiveAncestor(vault, 'a')).toBe('');
  });

  it('offers Undo only to whoever deleted the page, in its space, while it is still deleted', () => {
    const vault = findSpace('vault')!;
    const { id } = deletePage(people.editor!, 'vault', 'a/b/c');
    expect(ownDeletedPage(people.editor!, vault, id)).toEqual({ id, title: 'a/b/c', path: 'a/b/c' });
    expect(ownDeletedPage(people.groupEditor!, vault, id)).toBeUndefined();
    expect(ownDeletedPage(null, vault, id)).toBeUndefined();
    expect(ownDeletedPage(people.editor!, findSpace('open')!, id)).toBeUndefined();
    expect(ownDeletedPage(people.editor!, vault, Number.NaN)).toBeUndefined();
    restorePage(people.editor!, 'vault', id);
    expect(ownDeletedPage(people.editor!, vault, id)).toBeUndefined();
  });
});
