// A user's own settings, and the admin functions behind the admin pages: password changes end
// other sessions, resets are audited, lists are for site admins, and the access report explains itself.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { spaceAccessReport, setGrants } from '../../src/server/admin/grants.ts';
import { addGroup, listGroups, setGroupMembers } from '../../src/server/admin/groups.ts';
import { createSpace, listAllSpaces } from '../../src/server/admin/spaces.ts';
import { addUser, listUsers, resetPassword, updateUser } from '../../src/server/admin/users.ts';
import { changePassword, endAllSessions, updateOwnProfile } from '../../src/server/auth/account.ts';
import { createSession, validateSessionToken } from '../../src/server/auth/sessions.ts';
import { signIn } from '../../src/server/auth/users.ts';
import { freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
const ctx = { address: '10.1.0.1' };
const sessionOf = (token: string) => token.split('.')[0]!;

beforeAll(async () => { ({ admin, member } = await freshEnvironment('account')); });

describe('own profile', () => {
  it('changes the name and the interface language, and refuses bad values', async () => {
    expect(updateOwnProfile(member, { name: '  Li Lei ', locale: 'zh-CN' })).toMatchObject({ name: 'Li Lei', locale: 'zh-CN' });
    const { token } = createSession(member.id);
    expect(validateSessionToken(token)!.viewer).toMatchObject({ name: 'Li Lei', locale: 'zh-CN' });
    expect(updateOwnProfile(member, { locale: null }).locale).toBeNull();
    expect(() => updateOwnProfile(member, { locale: 'fr' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => updateOwnProfile(member, { name: ' ' })).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => updateOwnProfile(null, { name: 'x' })).toThrow(expect.objectContaining({ status: 401 }));
  });
});

describe('password change', () => {
  it('needs the current password and a new one of 12 characters, then ends the other sessions only', async () => {
    const here = createSession(member.id);
    const elsewhere = createSession(member.id);
    const input = { current: 'another long password', next: 'a brand new passphrase' };
    await expect(changePassword(member, { ...input, current: 'wrong password!' }, { ...ctx, sessionId: sessionOf(here.token) })).rejects.toMatchObject({ status: 400 });
    await expect(changePassword(member, { ...input, next: 'too short' }, { ...ctx, sessionId: sessionOf(here.token) })).rejects.toMatchObject({ status: 400 });
    expect(validateSessionToken(elsewhere.token)).not.toBeNull();
    await changePassword(member, input, { ...ctx, sessionId: sessionOf(here.token) });
    expect(validateSessionToken(here.token)).not.toBeNull();
    expect(validateSessionToken(elsewhere.token)).toBeNull();
    await expect(signIn(member.email, 'a brand new passphrase', ctx.address)).resolves.toBe(member.id);
    await expect(signIn(member.email, 'another long password', ctx.address)).rejects.toMatchObject({ status: 401 });
  });

  it('signs out everywhere', () => {
    const a = createSession(member.id);
    const b = createSession(member.id);
    endAllSessions(member);
    expect(validateSessionToken(a.token)).toBeNull();
    expect(validateSessionToken(b.token)).toBeNull();
  });
});

describe('admin functions', () => {
  it('lists users and groups for site admins only', () => {
    expect(listUsers(admin).map((u) => u.email)).toEqual(['admin@example.com', 'li.lei@example.com']);
    expect(listUsers(admin)[0]).toMatchObject({ admin: true, active: true, name: 'Ada Admin' });
    expect(() => listUsers(member)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => listGroups(member)).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => listAllSpaces(member)).toThrow(expect.objectContaining({ status: 403 }));
    addGroup(admin, 'Empty team');
    expect(listGroups(admin)).toEqual([{ id: expect.any(Number), name: 'Empty team', members: [], lead: null }]);
  });

  it('resets a password: a new one shown once, sessions ended, audited; not for non-admins or oneself', async () => {
    const session = createSession(member.id);
    const { password } = await resetPassword(admin, member.id);
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(validateSessionToken(session.token)).toBeNull();
    await expect(signIn(member.email, password, ctx.address)).resolves.toBe(member.id);
    expect(listAudit(admin, { action: 'user.password-reset' })[0]).toMatchObject({ actor: 'admin@example.com', subject: member.email });
    await expect(resetPassword(member, admin.id)).rejects.toMatchObject({ status: 403 });
    await expect(resetPassword(admin, admin.id)).rejects.toMatchObject({ status: 400 });
    await expect(resetPassword(admin, 9999)).rejects.toMatchObject({ status: 404 });
  });
});

describe('who can see a space, and why', () => {
  it('names site admins, direct grants and groups, and leaves out inactive users', async () => {
    const { id: weiId } = await addUser(admin, { email: 'wei@example.com', name: 'Wei', password: 'wei has a long password' });
    const { id: goneId } = await addUser(admin, { email: 'gone@example.com', name: 'Gone', password: 'gone has a long password' });
    createSpace(admin, { key: 'legal', name: 'Legal', visibility: 'restricted' });
    addGroup(admin, 'Legal team');
    setGroupMembers(admin, 'Legal team', ['wei@example.com', 'li.lei@example.com', 'gone@example.com']);
    setGrants(admin, 'legal', [{ group: 'Legal team', role: 'reader' }, { user: 'li.lei@example.com', role: 'admin' }]);
    updateUser(admin, goneId, { active: false });

    const report = spaceAccessReport(admin, 'legal');
    expect(report).toEqual([
      { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', reasons: [{ kind: 'site-admin' }] },
      { email: 'li.lei@example.com', name: expect.any(String), role: 'admin', reasons: [{ kind: 'direct', role: 'admin' }, { kind: 'group', group: 'Legal team', role: 'reader' }] },
      { email: 'wei@example.com', name: 'Wei', role: 'reader', reasons: [{ kind: 'group', group: 'Legal team', role: 'reader' }] },
    ]);
    expect(listAllSpaces(admin).find((s) => s.key === 'legal')).toMatchObject({ visibility: 'restricted', grantCount: 2 });

    // A space admin may see the report of their own space; a reader or an outsider may not.
    expect(spaceAccessReport(member, 'legal')).toHaveLength(3);
    const wei: Viewer = { id: weiId, email: 'wei@example.com', name: 'Wei', admin: false, locale: null };
    expect(() => spaceAccessReport(wei, 'legal')).toThrow(expect.objectContaining({ status: 403 }));
    expect(() => spaceAccessReport(wei, 'eng')).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('lists everyone for an org space, with the reason', () => {
    const report = spaceAccessReport(admin, 'hr');
    expect(report.map((r) => r.email)).toEqual(['admin@example.com', 'li.lei@example.com', 'wei@example.com']);
    expect(report.find((r) => r.email === 'wei@example.com')).toMatchObject({ role: 'reader', reasons: [{ kind: 'org' }] });
    expect(report[0]!.reasons).toEqual([{ kind: 'site-admin' }, { kind: 'org' }]);
  });
});
