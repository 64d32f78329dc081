// A signed-in user's own settings: display name, UI language, password, sessions.
import { and, eq, ne } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/viewer.ts';
import { db, write } from '../db.ts';
import { badInput, unauthorized } from '../errors.ts';
import { hashPassword, MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { attemptFailed, attemptSucceeded, claimAttempt } from './rate-limit.ts';

export const LOCALES = ['en', 'zh-CN'] as const;

function assertNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw badInput(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw badInput('Password too long');
}

/** `locale: null` goes back to the browser's language. */
export function updateOwnProfile(viewer: Viewer | null, input: { name?: string; locale?: string | null }): { name: string; locale: string | null } {
  if (!viewer) throw unauthorized();
  const changes: { name?: string; locale?: string | null } = {};
  if (input.name !== undefined) {
    const name = input.name.normalize('NFC').trim();
    if (!name || name.length > 120 || /[\u0000-\u001f]/.test(name)) throw badInput('A name is 1–120 characters without control characters');
    changes.name = name;
  }
  if (input.locale !== undefined) {
    if (input.locale !== null && !(LOCALES as readonly string[]).includes(input.locale)) throw badInput(`locale is one of ${LOCALES.join(', ')}`);
    changes.locale = input.locale;
  }
  if (!Object.keys(changes).length) return { name: viewer.name, locale: viewer.locale };
  const row = write((tx) => tx.update(users).set(changes).where(eq(users.id, viewer.id)).returning({ name: users.name, locale: users.locale }).get()!);
  return row;
}

/**
 * Needs the current password (wrong guesses count toward the sign-in throttle, so a stolen
 * session cannot try passwords freely). Ends every other session of the user.
 */
export async function changePassword(viewer: Viewer | null, input: { current: string; next: string }, ctx: { sessionId: string | null; address: string }): Promise<void> {
  if (!viewer) throw unauthorized();
  if (Buffer.byteLength(input.current) > MAX_PASSWORD_BYTES) throw badInput('Password too long');
  claimAttempt(viewer.email, ctx.address);
  const user = db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
  if (!user?.hash || !(await verifyPassword(user.hash, input.current))) {
    attemptFailed(ctx.address);
    throw badInput('The current password is wrong');
  }
  attemptSucceeded(viewer.email, ctx.address);
  assertNewPassword(input.next);
  const passwordHash = await hashPassword(input.next);
  write((tx) => {
    tx.update(users).set({ passwordHash }).where(eq(users.id, viewer.id)).run();
    const others = ctx.sessionId ? and(eq(sessions.userId, viewer.id), ne(sessions.id, ctx.sessionId)) : eq(sessions.userId, viewer.id);
    tx.delete(sessions).where(others).run();
  });
}

/** "Sign out everywhere": every session of the user, this one included. */
export function endAllSessions(viewer: Viewer | null): void {
  if (!viewer) throw unauthorized();
  write((tx) => tx.delete(sessions).where(eq(sessions.userId, viewer.id)).run());
}
