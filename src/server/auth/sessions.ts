// Sessions as lucia-auth.com teaches: token = "<id>.<secret>", the database keeps the id and
// only SHA-256(secret), compared in constant time; expiry slides while the session is used.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import { eq, sql } from 'drizzle-orm';
import { sessions, users } from '../../../db/schema.ts';
import { db, prepared } from '../db.ts';
import type { Viewer } from '../access/viewer.ts';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
export const SESSION_COOKIE = 'dossier_session';

export function randomString(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function hashSecret(secret: string): Buffer {
  return Buffer.from(sha256(new TextEncoder().encode(secret)));
}

const sessionById = prepared((d) => d.select({ s: sessions, u: users }).from(sessions)
  .innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, sql.placeholder('id'))).prepare());

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
  const row = sessionById().get({ id });
  if (!row) return null;
  const now = Date.now();
  if (!constantTimeEqual(hashSecret(secret), row.s.secretHash) || !row.u.active) return null;
  if (row.s.expiresAt <= now) {
    db().delete(sessions).where(eq(sessions.id, id)).run();
    return null;
  }
  let expiresAt = row.s.expiresAt;
  const refreshed = expiresAt - now < SESSION_TTL / 2;
  if (refreshed) {
    expiresAt = now + SESSION_TTL;
    db().update(sessions).set({ expiresAt }).where(eq(sessions.id, id)).run();
  }
  const { id: userId, email, name, admin, locale } = row.u;
  return { viewer: { id: userId, email, name, admin, locale }, sessionId: id, expiresAt, refreshed };
}

export function invalidateSession(sessionId: string): void {
  db().delete(sessions).where(eq(sessions.id, sessionId)).run();
}
