// Reads remembered until the database changes (src/server/db-cache.ts): sessions, spaces, grants,
// page views and backlinks must never outlive a change, whether this connection made it or
// another connection or process did. Each `await tick()` stands for a new request (a new
// synchronous run of code), as in the server.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { can, readableSpaceIds } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { updateSpace } from '../../src/server/admin/spaces.ts';
import { createSession, invalidateSession, validateSessionToken } from '../../src/server/auth/sessions.ts';
import { dbFile } from '../../src/server/config.ts';
import { readCache } from '../../src/server/db-cache.ts';
import { db, openDatabase, write } from '../../src/server/db.ts';
import { bookkeeping } from '../../src/server/outbox.ts';
import { DomainError } from '../../src/server/errors.ts';
import { readPageScreen, viewPage } from '../../src/server/pages/get-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { findSpace } from '../../src/server/spaces/spaces.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const status = async (fn: () => unknown): Promise<number> => {
  try {
    await fn();
    return 200;
  } catch (err) {
    if (err instanceof DomainError) return err.status;
    throw err;
  }
};

beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('readcache'));
  await savePage(admin, { space: 'hr', path: 'leave', title: 'Leave', markdown: 'Twenty days of leave.' });
  await savePage(admin, { space: 'eng', path: 'guide', title: 'Guide', markdown: 'See [[hr:Leave]].' });
});

describe('remembered reads follow every change', () => {
  it('a session ended by this connection or another is refused at once', async () => {
    const first = createSession(member.id);
    expect(validateSessionToken(first.token)?.viewer.id).toBe(member.id);
    await tick();
    invalidateSession(first.token.split('.')[0]!);
    expect(validateSessionToken(first.token)).toBeNull();

    const second = createSession(member.id);
    expect(validateSessionToken(second.token)?.viewer.id).toBe(member.id);
    await tick();
    const other = openDatabase(dbFile());
    other.$client.prepare('delete from sessions where id = ?').run(second.token.split('.')[0]);
    other.$client.close();
    await tick();
    expect(validateSessionToken(second.token)).toBeNull();
  });

  it('a deactivated user is signed out at the next request', async () => {
    const { token } = createSession(member.id);
    expect(validateSessionToken(token)).not.toBeNull();
    await tick();
    const other = openDatabase(dbFile());
    other.$client.prepare('update users set active = 0 where id = ?').run(member.id);
    await tick();
    expect(validateSessionToken(token)).toBeNull();
    other.$client.prepare('update users set active = 1 where id = ?').run(member.id);
    other.$client.close();
    await tick();
    expect(validateSessionToken(token)?.viewer.id).toBe(member.id);
  });

  it('making a space restricted hides it from the next check on, and a grant shows it again', async () => {
    expect(await status(() => viewPage(member, 'hr', 'leave'))).toBe(200);
    expect(readableSpaceIds(member)).toContain(findSpace('hr')!.id);
    await tick();
    updateSpace(admin, 'hr', { visibility: 'restricted' });
    expect(await status(() => viewPage(member, 'hr', 'leave'))).toBe(404);
    expect(await status(() => readPageScreen(member, 'hr', 'leave', { page: true }))).toBe(404);
    expect(readableSpaceIds(member)).not.toContain(findSpace('hr')!.id);
    expect(viewPage(member, 'eng', 'guide').backlinks).toEqual([]);
    expect(viewPage(admin, 'hr', 'leave').backlinks).toEqual([{ space: 'eng', path: 'guide', title: 'Guide' }]);
    await tick();
    setGrants(admin, 'hr', [{ user: member.email, role: 'reader' }]);
    expect(await status(() => viewPage(member, 'hr', 'leave'))).toBe(200);
    expect(can(member, 'edit', findSpace('hr')!)).toBe(false);
    await tick();
    setGrants(admin, 'hr', []);
    expect(await status(() => viewPage(member, 'hr', 'leave'))).toBe(404);
  });

  it('a grant written by another process counts at its next request', async () => {
    const hr = findSpace('hr')!;
    expect(hr.visibility).toBe('restricted');
    expect(can(member, 'read', hr)).toBe(false);
    await tick();
    const other = openDatabase(dbFile());
    other.$client.prepare("insert into grants (space_id, user_id, role) values (?, ?, 'editor')").run(hr.id, member.id);
    await tick();
    expect(can(member, 'edit', hr)).toBe(true);
    other.$client.prepare('delete from grants where space_id = ? and user_id = ?').run(hr.id, member.id);
    other.$client.close();
    await tick();
    expect(can(member, 'read', hr)).toBe(false);
  });

  it('a page changed by this connection or another shows its new content', async () => {
    expect(viewPage(admin, 'eng', 'guide').page.revision).toBe(1);
    await tick();
    await savePage(admin, { space: 'eng', path: 'guide', markdown: 'Second version.', baseRevision: 1 });
    expect(viewPage(admin, 'eng', 'guide').page.html).toContain('Second version.');
    await tick();
    const other = openDatabase(dbFile());
    other.$client.prepare("update pages set html = '<p>Written elsewhere.</p>' where path = 'guide'").run();
    other.$client.close();
    await tick();
    expect(viewPage(admin, 'eng', 'guide').page.html).toBe('<p>Written elsewhere.</p>');
  });

  it('inside a transaction nothing is remembered: a rolled-back change is never served', async () => {
    const before = findSpace('eng')!.name;
    expect(() => write((tx) => {
      tx.$client.prepare("update spaces set name = 'Rolled back' where key = 'eng'").run();
      expect(findSpace('eng')!.name).toBe('Rolled back');
      throw new Error('roll back');
    })).toThrow('roll back');
    expect(db().$client.inTransaction).toBe(false);
    expect(findSpace('eng')!.name).toBe(before);
    await tick();
    expect(findSpace('eng')!.name).toBe(before);
  });

  it('outbox bookkeeping (the consumers\' heartbeat, every second) keeps them; any other write drops them', async () => {
    const remembered = readCache<string, number>();
    let loads = 0;
    const read = () => remembered.get('k', () => ++loads);
    expect(read()).toBe(1);
    await tick();
    bookkeeping(() => db().$client.prepare("insert into outbox_owners (id, pid, heartbeat_at) values ('test-owner', 1, ?) on conflict (id) do update set heartbeat_at = excluded.heartbeat_at").run(Date.now()));
    await tick();
    expect(read()).toBe(1);
    write(() => db().$client.prepare("update spaces set name = name where key = 'eng'").run());
    expect(read()).toBe(2);
  });
});
