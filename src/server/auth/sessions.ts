// Sessions as lucia-auth.com teaches: token = "<id>.<secret>", the database keeps the id and
// only SHA-256(secret), compared in constant time; expiry slides while the session is used.
import { createHash, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { sessions } from '../../../db/schema.ts';
import { readCache } from '../db-cache.ts';
import { db, prepared } from '../db.ts';
import type { Viewer } from '../access/viewer.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
export const SESSION_COOKIE = 'dossier_session';

export function randomString(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

// Checked on every request: one indexed read of only the columns needed, without an ORM mapping step.
interface SessionRow { secretHash: Buffer; expiresAt: number; userId: number; email: string; name: string; admin: number; locale: string | null; active: number }
const sessionById = prepared((d) => d.$client.prepare<[string], SessionRow>(
  `select s.secret_hash as secretHash, s.expires_at as expiresAt, u.id as userId, u.email, u.name, u.admin, u.locale, u.active
   from sessions s join users u on u.id = s.user_id where s.id = ?`,
));
// Remembered until the database changes at all (sign-out, expiry, deactivation, anything): exact.
const sessionRows = readCache<string, Readonly<SessionRow> | null>();
const touchSession = prepared((d) => d.$client.prepare<[number, string]>('update sessions set expires_at = ? where id = ?'));
const dropSession = prepared((d) => d.$client.prepare<[string]>('delete from sessions where id = ?'));

export function createSession(userId: number): { token: string; expiresAt: number } {
  const id = randomString(20);
  const secret = randomString(32);
  const expiresAt = Date.now() + SESSION_TTL;
  db().insert(sessions).values({ id, secretHash: hashSecret(secret), userId, expiresAt }).run();
  return { token: `${id}.${secret}`, expiresAt };
}

export interface ValidSession { viewer: Viewer; sessionId: string; expiresAt: number; refreshed: boolean }

export function validateSessionToken(token: string): ValidSession | null {
  if (token.length > 200) return null;
  const [id, secret, rest] = token.split('.');
  if (!id || !secret || rest !== undefined) return null;
  const row = sessionRows.get(id, () => {
    const found = sessionById().get(id);
    return found ? Object.freeze(found) : null;
  });
  if (!row) return null;
  const now = Date.now();
  const hash = hashSecret(secret);
  if (hash.length !== row.secretHash.length || !timingSafeEqual(hash, row.secretHash) || !row.active) return null;
  if (row.expiresAt <= now) {
    dropSession().run(id);
    return null;
  }
  let expiresAt = row.expiresAt;
  // Slides only once the session is past half its life: one write per session per 15 days, not per request.
  const refreshed = expiresAt - now < SESSION_TTL / 2;
  if (refreshed) {
    expiresAt = now + SESSION_TTL;
    touchSession().run(expiresAt, id);
  }
  const { userId, email, name, locale } = row;
  return { viewer: { id: userId, email, name, admin: row.admin === 1, locale }, sessionId: id, expiresAt, refreshed };
}

export function invalidateSession(sessionId: string): void {
  db().delete(sessions).where(eq(sessions.id, sessionId)).run();
}
