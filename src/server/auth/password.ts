// argon2id from node:crypto (OWASP's minimum: 19 MiB, 2 passes, 1 lane). Stored as a PHC-like string.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const argon2Async = promisify(argon2);
const params = { memory: 19456, passes: 2, parallelism: 1, tagLength: 32 };
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_BYTES = 1024;

async function derive(password: string, nonce: Buffer, p = params): Promise<Buffer> {
  return argon2Async('argon2id', { message: password, nonce, ...p });
}

export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await derive(password, nonce);
  return `$argon2id$v=19$m=${params.memory},t=${params.passes},p=${params.parallelism}$${nonce.toString('base64')}$${tag.toString('base64')}`;
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(hash);
  if (!m) return false;
  const expected = Buffer.from(m[5]!, 'base64');
  const tag = await derive(password, Buffer.from(m[4]!, 'base64'), {
    memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), tagLength: expected.length,
  });
  return timingSafeEqual(tag, expected);
}
