// Personal API tokens for scripts: shown once, stored as SHA-256, named, optionally read-only,
// with a last-used time. A token acts as its user (never more), and stops with the user.
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { and, desc, eq, sql } from 'drizzle-orm';
import { apiTokens, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/viewer.ts';
import { db, prepared, write } from '../db.ts';
import { badInput, notFound, unauthorized } from '../errors.ts';
import { hashSecret, randomString } from './sessions.ts';

export const TOKEN_PREFIX = 'dt_';
const LAST_USED_RESOLUTION_MS = 60_000; // record use at most once a minute, not on every request

export function createApiToken(viewer: Viewer | null, input: { name: string; readOnly?: boolean }): { id: string; token: string } {
  if (!viewer) throw unauthorized();
  const name = input.name.normalize('NFC').trim();
  if (!name || name.length > 100 || /[\u0000-\u001f]/.test(name)) throw badInput('A token name is 1–100 characters without control characters', { code: 'tokenName' });
  const id = randomString(10);
  const secret = randomString(32);
  write((tx) => tx.insert(apiTokens).values({ id, userId: viewer.id, name, secretHash: hashSecret(secret), readOnly: input.readOnly ?? false }).run());
  return { id, token: `${TOKEN_PREFIX}${id}.${secret}` };
}

export function listApiTokens(viewer: Viewer | null) {
  if (!viewer) throw unauthorized();
  return db().select({ id: apiTokens.id, name: apiTokens.name, readOnly: apiTokens.readOnly, lastUsedAt: apiTokens.lastUsedAt, createdAt: apiTokens.createdAt })
    .from(apiTokens).where(eq(apiTokens.userId, viewer.id)).orderBy(desc(apiTokens.createdAt)).all()
    .map((t) => ({ ...t, lastUsedAt: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(), createdAt: new Date(t.createdAt).toISOString() }));
}

export function revokeApiToken(viewer: Viewer | null, id: string): void {
  if (!viewer) throw unauthorized();
  const gone = write((tx) => tx.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, viewer.id))).run());
  if (gone.changes === 0) throw notFound();
}

const tokenById = prepared((d) => d.select({ t: apiTokens, u: users }).from(apiTokens)
  .innerJoin(users, eq(users.id, apiTokens.userId)).where(eq(apiTokens.id, sql.placeholder('id'))).prepare());

export function validateApiToken(token: string): Viewer | null {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const [id, secret, rest] = token.slice(TOKEN_PREFIX.length).split('.');
  if (!id || !secret || rest !== undefined) return null;
  const row = tokenById().get({ id });
  if (!row || !row.u.active || !constantTimeEqual(hashSecret(secret), row.t.secretHash)) return null;
  const now = Date.now();
  if (row.t.lastUsedAt === null || now - row.t.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    db().update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, id)).run();
  }
  const { id: userId, email, name, admin, locale } = row.u;
  return { id: userId, email, name, admin, locale, readOnly: row.t.readOnly };
}
