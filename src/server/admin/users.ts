// Site admins list and create users, change their name, admin right and active state, and
// reset passwords. Deactivating ends every session of the user at once; their authorship stays.
import { eq } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { sessions, users } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, notFound } from '../errors.ts';
import { hashPassword } from '../auth/password.ts';
import { createUser, normalizeEmail } from '../auth/users.ts';
import { appendAudit } from './audit.ts';

export async function addUser(viewer: Viewer | null, input: { email: string; name: string; password?: string; admin?: boolean }): Promise<{ id: number; password?: string }> {
  assertSiteAdmin(viewer);
  const email = normalizeEmail(input.email);
  const given = input.password;
  const password = given ?? randomBytes(12).toString('base64url');
  const id = await createUser({ email, name: input.name, password, admin: input.admin ?? false }).catch((err: Error) => {
    if (/UNIQUE/.test(err.message)) throw conflict(`A user ${email} already exists`, { code: 'userExists', email });
    throw err;
  });
  write((tx) => appendAudit(tx, viewer!, 'user.create', email, null, { email, name: input.name, admin: input.admin ?? false }));
  return given ? { id } : { id, password };
}

export function updateUser(viewer: Viewer | null, id: number, patch: { active?: boolean; admin?: boolean; name?: string }): { id: number; active: boolean; admin: boolean; name: string } {
  assertSiteAdmin(viewer);
  if (patch.name !== undefined && (!patch.name.trim() || patch.name.length > 120 || /[\u0000-\u001f]/.test(patch.name))) throw badInput('A name is 1–120 characters without control characters', { code: 'personName' });
  if (id === viewer!.id && (patch.active === false || patch.admin === false)) throw badInput('You cannot deactivate yourself or drop your own admin right', { code: 'selfDemote' });
  return write((tx) => {
    const user = tx.select().from(users).where(eq(users.id, id)).get();
    if (!user) throw notFound();
    const changes = { ...(patch.active !== undefined && { active: patch.active }), ...(patch.admin !== undefined && { admin: patch.admin }), ...(patch.name !== undefined && { name: patch.name.trim() }) };
    const updated = tx.update(users).set(changes).where(eq(users.id, id)).returning().get();
    if (patch.active === false) tx.delete(sessions).where(eq(sessions.userId, id)).run();
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, user[k as keyof typeof changes]]));
    appendAudit(tx, viewer!, 'user.update', user.email, before, changes);
    return { id, active: updated.active, admin: updated.admin, name: updated.name };
  });
}

/** `imported`: a person a spreadsheet named who has no account (placeholder address, never signs in). */
export interface UserRow { id: number; email: string; name: string; admin: boolean; active: boolean; imported: boolean; createdAt: string }

export function listUsers(viewer: Viewer | null): UserRow[] {
  assertSiteAdmin(viewer);
  return db().select({ id: users.id, email: users.email, name: users.name, admin: users.admin, active: users.active, imported: users.imported, createdAt: users.createdAt })
    .from(users).orderBy(users.email).all()
    .map((u) => ({ ...u, createdAt: new Date(u.createdAt).toISOString() }));
}

/** The users whose name or email holds `q` (any case); those imported from spreadsheets only when asked for. */
export function findUsers(rows: readonly UserRow[], { q, imported }: { q: string; imported: boolean }): UserRow[] {
  const needle = q.normalize('NFKC').trim().toLowerCase();
  return rows.filter((u) => (imported || !u.imported) && (!needle || u.name.toLowerCase().includes(needle) || u.email.includes(needle)));
}

/** Sets a generated password (returned once) and ends the user's sessions. */
export async function resetPassword(viewer: Viewer | null, id: number): Promise<{ password: string }> {
  assertSiteAdmin(viewer);
  if (id === viewer!.id) throw badInput('Change your own password on your account page', { code: 'ownPasswordHere' });
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  write((tx) => {
    const user = tx.select({ email: users.email }).from(users).where(eq(users.id, id)).get();
    if (!user) throw notFound();
    tx.update(users).set({ passwordHash }).where(eq(users.id, id)).run();
    tx.delete(sessions).where(eq(sessions.userId, id)).run();
    appendAudit(tx, viewer!, 'user.password-reset', user.email, null, null);
  });
  return { password };
}
