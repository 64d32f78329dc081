// The first admin of an empty database: from DOSSIER_ADMIN_EMAIL / DOSSIER_ADMIN_PASSWORD, or generated.
import { randomBytes } from 'node:crypto';
import { createUser, userCount } from './users.ts';

export async function ensureFirstAdmin(log: (m: string) => void): Promise<void> {
  if (userCount() > 0) return;
  const email = process.env.DOSSIER_ADMIN_EMAIL ?? 'admin@example.com';
  const given = process.env.DOSSIER_ADMIN_PASSWORD;
  const password = given ?? randomBytes(12).toString('base64url');
  await createUser({ email, name: 'Admin', password, admin: true });
  log(given ? `Created admin ${email}` : `Created admin ${email} with password: ${password}  (shown once)`);
}
