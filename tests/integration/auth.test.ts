import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, validateSessionToken } from '../../src/server/auth/sessions.ts';
import { signIn } from '../../src/server/auth/users.ts';
import { MAX_ACCOUNT_FAILURES } from '../../src/server/auth/rate-limit.ts';
import { freshEnvironment } from './setup-env.ts';

beforeAll(async () => { await freshEnvironment('auth'); });

describe('sign-in', () => {
  it('throttles an account after 10 failures, even with the right password, but not other accounts', async () => {
    for (let i = 0; i < MAX_ACCOUNT_FAILURES; i++) {
      await expect(signIn('li.lei@example.com', `wrong password ${i}`, `10.0.0.${i}`)).rejects.toMatchObject({ status: 401 });
    }
    await expect(signIn('li.lei@example.com', 'another long password', '10.0.1.1')).rejects.toMatchObject({ status: 429 });
    await expect(signIn('admin@example.com', 'a long enough password', '10.0.0.1')).resolves.toBeGreaterThan(0);
  });

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
