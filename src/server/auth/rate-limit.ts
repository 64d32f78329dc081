// Sign-in throttling: at most 10 failures per account and 100 per client address in 15 minutes
// (an office behind one NAT address shares the second). Counted in SQLite so every server
// process sees the same numbers.
import { and, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { signInFailures } from '../../../db/schema.ts';
import { db, write } from '../db.ts';
import { DomainError } from '../errors.ts';

export const MAX_ACCOUNT_FAILURES = 10;
export const MAX_ADDRESS_FAILURES = 100;
export const WINDOW_MS = 15 * 60 * 1000;

const keysFor = (email: string, address: string) => [`account:${email}`, `address:${address}`];
const limitOf = (key: string) => (key.startsWith('account:') ? MAX_ACCOUNT_FAILURES : MAX_ADDRESS_FAILURES);

export function assertNotThrottled(email: string, address: string): void {
  const since = Date.now() - WINDOW_MS;
  for (const key of keysFor(email, address)) {
    const { n } = db().select({ n: sql<number>`count(*)` }).from(signInFailures)
      .where(and(eq(signInFailures.key, key), gte(signInFailures.at, since))).get()!;
    if (n >= limitOf(key)) {
      throw new DomainError(429, 'Too many failed sign-ins. Wait 15 minutes and try again, or ask an admin to reset your password.');
    }
  }
}

export function recordFailure(email: string, address: string): void {
  const now = Date.now();
  write((tx) => {
    tx.delete(signInFailures).where(lt(signInFailures.at, now - WINDOW_MS)).run();
    for (const key of keysFor(email, address)) tx.insert(signInFailures).values({ key, at: now }).run();
  });
}

/** A successful sign-in clears the account's count (not the address's). */
export function clearFailures(email: string): void {
  write((tx) => tx.delete(signInFailures).where(inArray(signInFailures.key, [`account:${email}`])).run());
}
