// Users and sign-in by email and password.
import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { users } from '../../../db/schema.ts';
import { db } from '../db.ts';
import { badInput, unauthorized } from '../errors.ts';
import { hashPassword, MAX_PASSWORD_BYTES, MIN_PASSWORD_LENGTH, verifyPassword } from './password.ts';
import { attemptFailed, attemptSucceeded, claimAttempt } from './rate-limit.ts';

export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

export async function createUser(input: { email: string; name: string; password: string; admin?: boolean }): Promise<number> {
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw badInput('A valid email address is required', { code: 'emailInvalid' });
  if ([...input.password].length < MIN_PASSWORD_LENGTH) throw badInput(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`, { code: 'passwordShort', min: MIN_PASSWORD_LENGTH });
  const passwordHash = await hashPassword(input.password);
  const row = db().insert(users).values({ email, name: input.name.trim() || email, passwordHash, admin: input.admin ?? false })
    .returning({ id: users.id }).get();
  return row.id;
}

// A hash to verify against when the account does not exist, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;

/** Checks the password (throttled per account and client address pair, see rate-limit.ts); returns the user id. */
export async function signIn(email: string, password: string, address: string): Promise<number> {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) throw badInput('Password too long', { code: 'passwordLong' });
  const normalized = normalizeEmail(email);
  claimAttempt(normalized, address);
  const user = db().select().from(users).where(eq(users.email, normalized)).get();
  const hash = user?.passwordHash ?? (await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const ok = await verifyPassword(hash, password);
  if (!ok || !user || !user.active) {
    attemptFailed(address);
    throw unauthorized('Wrong email or password');
  }
  attemptSucceeded(normalized, address);
  return user.id;
}

export function userCount(): number {
  return db().select({ n: sql<number>`count(*)` }).from(users).get()!.n;
}
