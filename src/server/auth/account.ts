// A signed-in user's own settings: display name, UI language, chat ids, password, sessions.
import { and, eq, ne } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/viewer.ts';
import { db, write } from '../db.ts';
import { badInput, unauthorized } from '../errors.ts';
import { hashPassword, MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { attemptFailed, attemptSucceeded, claimAttempt } from './rate-limit.ts';

export const LOCALES = ['en', 'zh-CN'] as const;

function assertNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw badInput(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`, { code: 'passwordShort', min: MIN_PASSWORD_LENGTH });
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw badInput('Password too long', { code: 'passwordLong' });
}

export interface Profile { email: string; name: string; locale: string | null; larkOpenId: string | null; slackMemberId: string | null }
export interface ProfileChange { name?: string; locale?: string | null; larkOpenId?: string | null; slackMemberId?: string | null }

// Chat ids go into messages' @-mentions (src/server/notify/formats.ts): only their own alphabets.
const CHAT_IDS = {
  larkOpenId: { pattern: /^ou_[A-Za-z0-9]{1,64}$/, what: 'a Lark open_id is ou_ and letters or digits', code: 'larkOpenId' },
  slackMemberId: { pattern: /^[UW][A-Z0-9]{2,20}$/, what: 'a Slack member ID is U or W and capital letters or digits, like U012AB3CD', code: 'slackMemberId' },
} as const;

const profileColumns = { email: users.email, name: users.name, locale: users.locale, larkOpenId: users.larkOpenId, slackMemberId: users.slackMemberId };

export function getOwnProfile(viewer: Viewer | null): Profile {
  if (!viewer) throw unauthorized();
  return db().select(profileColumns).from(users).where(eq(users.id, viewer.id)).get()!;
}

/** `locale: null` goes back to the browser's language; an empty or null chat id removes it. */
export function updateOwnProfile(viewer: Viewer | null, input: ProfileChange): Profile {
  if (!viewer) throw unauthorized();
  const changes: ProfileChange = {};
  if (input.name !== undefined) {
    const name = typeof input.name === 'string' ? input.name.normalize('NFC').trim() : '';
    if (!name || name.length > 120 || /[\u0000-\u001f]/.test(name)) throw badInput('A name is 1–120 characters without control characters', { code: 'personName' });
    changes.name = name;
  }
  if (input.locale !== undefined) {
    if (input.locale !== null && !(LOCALES as readonly string[]).includes(input.locale)) throw badInput(`locale is one of ${LOCALES.join(', ')}`);
    changes.locale = input.locale;
  }
  for (const field of ['larkOpenId', 'slackMemberId'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw badInput(`${field}: ${CHAT_IDS[field].what}`, { code: CHAT_IDS[field].code });
    const id = value?.trim() || null;
    if (id !== null && !CHAT_IDS[field].pattern.test(id)) throw badInput(`${field}: ${CHAT_IDS[field].what}`, { code: CHAT_IDS[field].code });
    changes[field] = id;
  }
  if (!Object.keys(changes).length) return getOwnProfile(viewer);
  return write((tx) => tx.update(users).set(changes).where(eq(users.id, viewer.id)).returning(profileColumns).get()!);
}

/**
 * Needs the current password (wrong guesses count toward the sign-in throttle, so a stolen
 * session cannot try passwords freely). Ends every other session of the user.
 */
export async function changePassword(viewer: Viewer | null, input: { current: string; next: string }, ctx: { sessionId: string | null; address: string }): Promise<void> {
  if (!viewer) throw unauthorized();
  if (Buffer.byteLength(input.current) > MAX_PASSWORD_BYTES) throw badInput('Password too long', { code: 'passwordLong' });
  claimAttempt(viewer.email, ctx.address);
  const user = db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, viewer.id)).get();
  if (!user?.hash || !(await verifyPassword(user.hash, input.current))) {
    attemptFailed(ctx.address);
    throw badInput('The current password is wrong', { code: 'wrongPassword' });
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
