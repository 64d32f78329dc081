// Sign-in throttling that slows guessing without locking anyone out (OWASP Authentication Cheat
// Sheet): failures are counted per (account, client address) pair and per address, never per
// account alone, so nobody can lock a user out by failing on purpose from somewhere else.
//
// - A pair gets 5 free failures; after the 5th it waits 1 s, then 2 s, 4 s … up to 15 minutes
//   after each further failure. A correct sign-in forgets the pair.
// - An address with 100+ failures (until it has been quiet for 15 minutes) is flooding: every
//   pair from it that has failed waits as well, 1 s, 2 s … up to 15 minutes after the address's
//   last failure. A pair with no failures is never held back, so colleagues behind the same NAT
//   or proxy still sign in; a flood gets each account one guess per address.
// - A try counts against its pair before the password is checked (claimAttempt), so a burst of
//   parallel tries gets no more guesses than one try at a time.
// - Unknown accounts are counted exactly like real ones. A held-back try is answered 429 with
//   the wait in seconds before any password is checked; no request is made to sleep.
// Counted in SQLite, so every server process on the host sees the same numbers and a restart
// does not hand out fresh tries.
import { eq, inArray, lt, sql } from 'drizzle-orm';
import { signInThrottle } from '../../../db/schema.ts';
import { type Db, write } from '../db.ts';
import { DomainError } from '../errors.ts';

export const FREE_PAIR_FAILURES = 5;
export const ADDRESS_CEILING = 100;
export const MAX_DELAY_MS = 15 * 60 * 1000;
/** An address that has not failed for this long starts again from zero. */
export const ADDRESS_QUIET_MS = 15 * 60 * 1000;
/** A pair that has not failed for this long is forgotten. */
export const PAIR_FORGET_MS = 24 * 60 * 60 * 1000;

const pairKey = (account: string, address: string) => `pair ${address} ${account}`;
const addressKey = (address: string) => `address ${address}`;

/** 0 for the first `free` failures, then 1 s doubling per failure, capped. */
export function backoffMs(failures: number, free: number): number {
  return failures < free ? 0 : Math.min(1000 * 2 ** (failures - free), MAX_DELAY_MS);
}

/** Until when this pair must wait (ms since the epoch; 0 when it may try now). */
function waitUntil(tx: Db, account: string, address: string, now: number): number {
  const keys = [pairKey(account, address), addressKey(address)];
  const rows = new Map(tx.select().from(signInThrottle).where(inArray(signInThrottle.key, keys)).all().map((r) => [r.key, r]));
  const pair = rows.get(keys[0]!);
  if (!pair || pair.lastFailureAt < now - PAIR_FORGET_MS) return 0;
  const own = pair.lastFailureAt + backoffMs(pair.failures, FREE_PAIR_FAILURES);
  const flood = rows.get(keys[1]!);
  const shared = flood && flood.lastFailureAt >= now - ADDRESS_QUIET_MS ? flood.lastFailureAt + backoffMs(flood.failures, ADDRESS_CEILING) : 0;
  return Math.max(own, shared);
}

/**
 * Before a password is checked: answers 429 while this pair must wait, else counts the try
 * against the pair at once, in the same transaction, so that tries sent in parallel cannot all
 * pass the check before the first failure is written. A correct password takes it back.
 */
export function claimAttempt(account: string, address: string, now = Date.now()): void {
  write((tx) => {
    const until = waitUntil(tx, account, address, now);
    if (until > now) {
      const retryAfter = Math.ceil((until - now) / 1000);
      throw new DomainError(429, `Too many failed sign-ins for this account from your address. Try again in ${retryAfter} s.`, { retryAfter });
    }
    tx.delete(signInThrottle).where(lt(signInThrottle.lastFailureAt, now - PAIR_FORGET_MS)).run();
    count(tx, pairKey(account, address), PAIR_FORGET_MS, now);
  });
}

/** A wrong password: the pair was counted by claimAttempt; the address counts it now. */
export function attemptFailed(address: string, now = Date.now()): void {
  write((tx) => count(tx, addressKey(address), ADDRESS_QUIET_MS, now));
}

/** A correct password forgets the pair's failures (the address's count stays). */
export function attemptSucceeded(account: string, address: string): void {
  write((tx) => tx.delete(signInThrottle).where(eq(signInThrottle.key, pairKey(account, address))).run());
}

/** One more failure for `key`, starting again from 1 when the last one is older than `forgetAfter`. */
function count(tx: Db, key: string, forgetAfter: number, now: number): void {
  tx.insert(signInThrottle).values({ key, failures: 1, lastFailureAt: now }).onConflictDoUpdate({
    target: signInThrottle.key,
    set: { failures: sql`case when ${signInThrottle.lastFailureAt} < ${now - forgetAfter} then 1 else ${signInThrottle.failures} + 1 end`, lastFailureAt: now },
  }).run();
}
