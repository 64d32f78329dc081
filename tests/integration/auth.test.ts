import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSession, validateSessionToken } from '../../src/server/auth/sessions.ts';
import { signIn } from '../../src/server/auth/users.ts';
import { ADDRESS_QUIET_MS, FREE_PAIR_FAILURES, MAX_DELAY_MS } from '../../src/server/auth/rate-limit.ts';
import { DomainError } from '../../src/server/errors.ts';
import { freshEnvironment } from './setup-env.ts';

beforeAll(async () => { await freshEnvironment('auth'); });

const ADMIN = ['admin@example.com', 'a long enough password'] as const;
const LI = ['li.lei@example.com', 'another long password'] as const;

/** The 429's Retry-After in seconds, or 0 when the try got through to the password check. */
async function waitOf(email: string, password: string, address: string): Promise<number> {
  try {
    await signIn(email, password, address);
    return 0;
  } catch (err) {
    if (err instanceof DomainError && err.status === 401) return 0;
    if (err instanceof DomainError && err.status === 429) return Number(err.extra.retryAfter);
    throw err;
  }
}

async function fail(email: string, address: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await expect(signIn(email, `wrong password ${i}`, address)).rejects.toMatchObject({ status: 401 });
}

afterEach(() => { vi.useRealTimers(); });

describe('sign-in throttling', () => {
  it('holds back only the failing (account, address) pair: not the account elsewhere, not others at that address', async () => {
    await fail(LI[0], '192.0.2.1', FREE_PAIR_FAILURES);
    await expect(signIn(...LI, '192.0.2.1')).rejects.toMatchObject({ status: 429, extra: { retryAfter: 1 } });
    vi.useFakeTimers({ toFake: ['Date'] });
    for (let i = 0; i < 8; i++) { // 13 failures in all, each after its wait
      vi.setSystemTime(Date.now() + MAX_DELAY_MS);
      await fail(LI[0], '192.0.2.1');
    }
    expect(await waitOf(...LI, '192.0.2.1')).toBeGreaterThan(60);
    await expect(signIn(...LI, '192.0.2.2')).resolves.toBeGreaterThan(0);
    await expect(signIn(...ADMIN, '192.0.2.1')).resolves.toBeGreaterThan(0);
  });

  it('doubles the wait after each failure past the fifth, up to 15 minutes, and a correct password resets the pair', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await fail(ADMIN[0], '192.0.2.10', FREE_PAIR_FAILURES);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = await waitOf(ADMIN[0], 'still wrong', '192.0.2.10');
      waits.push(wait);
      vi.setSystemTime(Date.now() + wait * 1000);
      await fail(ADMIN[0], '192.0.2.10');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    vi.setSystemTime(Date.now() + MAX_DELAY_MS);
    await expect(signIn(...ADMIN, '192.0.2.10')).resolves.toBeGreaterThan(0);
    await fail(ADMIN[0], '192.0.2.10', FREE_PAIR_FAILURES - 1);
    expect(await waitOf(ADMIN[0], 'still wrong', '192.0.2.10')).toBe(0); // 17 failures without the reset
  });

  it('gives a burst of parallel tries no more guesses than tries one at a time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await fail(LI[0], '192.0.2.30', FREE_PAIR_FAILURES);
    vi.setSystemTime(Date.now() + 1000);
    const burst = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => signIn(LI[0], `parallel guess ${i}`, '192.0.2.30')));
    const statuses = burst.map((r) => (r.status === 'rejected' ? (r.reason as DomainError).status : 200)).sort();
    expect(statuses).toEqual([401, ...Array(9).fill(429)]);
  });

  it('counts one account however its name is written, and unknown accounts exactly like real ones', async () => {
    await fail(' LI.Lei@Example.COM ', '192.0.2.20', 3);
    await fail('ｌｉ.lei@example.com', '192.0.2.20', 2); // fullwidth letters: NFKC makes them ASCII
    expect(await waitOf(...LI, '192.0.2.20')).toBe(1);
    await fail('nobody@example.com', '192.0.2.20', FREE_PAIR_FAILURES);
    expect(await waitOf('nobody@example.com', 'anything at all', '192.0.2.20')).toBe(1);
  });

  it('a flood of 100 failures from one address holds back pairs that failed there, never clean pairs or other addresses', async () => {
    const flood = '198.51.100.66';
    await fail(LI[0], flood); // one failure: far from its own pair limit
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(Array.from({ length: 10 }, (_, i) => fail(`user${batch * 10 + i}@example.com`, flood)));
    }
    expect(await waitOf(...LI, flood)).toBeGreaterThan(0); // held back by the flood, right password or not
    await expect(signIn(...ADMIN, flood)).resolves.toBeGreaterThan(0); // no failures from there
    await expect(signIn(...LI, '198.51.100.67')).resolves.toBeGreaterThan(0);
    await expect(signIn(...ADMIN, '198.51.100.67')).resolves.toBeGreaterThan(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + ADDRESS_QUIET_MS + 1000);
    await expect(signIn(...LI, flood)).resolves.toBeGreaterThan(0); // quiet for 15 minutes: the flood is over
  });
});

describe('sign-in', () => {
  it('rejects a 1 MB password before hashing, and does not truncate long passwords', async () => {
    await expect(signIn('admin@example.com', 'x'.repeat(1024 * 1024), '10.0.2.1')).rejects.toMatchObject({ status: 400 });
    await expect(signIn('admin@example.com', 'a long enough password' + 'x'.repeat(60), '10.0.2.1')).rejects.toMatchObject({ status: 401 });
  });

  it('keeps only a hash of the session secret and refuses tampered tokens', async () => {
    const { token } = createSession(1);
    expect(validateSessionToken(token)?.viewer.email).toBe('admin@example.com');
    const [id, secret] = token.split('.');
    const flipped = secret!.slice(0, -1) + (secret!.endsWith('a') ? 'b' : 'a');
    expect(validateSessionToken(`${id}.${flipped}`)).toBeNull();
    expect(validateSessionToken(`${id}`)).toBeNull();
    expect(validateSessionToken(`${id}.${secret}.x`)).toBeNull();
    expect(validateSessionToken('x'.repeat(4096))).toBeNull();
  });
});
