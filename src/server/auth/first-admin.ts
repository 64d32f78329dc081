// The first admin of an empty database: from DOSSIER_ADMIN_EMAIL / DOSSIER_ADMIN_PASSWORD, or generated.
import { randomBytes } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { db } from '../db.ts';
import { createUser, userCount } from './users.ts';

/** Creates the first admin when there are no users yet; returns the new admin's id, else null. */
export async function ensureFirstAdmin(log: (m: string) => void): Promise<number | null> {
  if (userCount() > 0) return null;
  const email = process.env.DOSSIER_ADMIN_EMAIL ?? 'admin@example.com';
  const given = process.env.DOSSIER_ADMIN_PASSWORD;
  const password = given ?? randomBytes(12).toString('base64url');
  const id = await createUser({ email, name: 'Admin', password, admin: true });
  log(given ? `Created admin ${email}` : `Created admin ${email} with password: ${password}  (shown once)`);
  return id;
}

/** The earliest active site admin, who owns what the demo seeds (projects, the synonym list). */
export function firstSiteAdmin(): Viewer | null {
  const u = db().select({ id: users.id, email: users.email, name: users.name }).from(users)
    .where(and(eq(users.admin, true), eq(users.active, true))).orderBy(asc(users.id)).get();
  return u ? { ...u, admin: true, locale: null } : null;
}
