// Every refusal the server names by a code has its words in both languages, and no words wait for
// a code nobody throws: src/i18n/errors.ts is the one registry, read by pages (errorText) and by
// browser scripts (src/client/refusal.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorText } from '../../src/i18n/error-text.ts';
import { errorMessages } from '../../src/i18n/errors.ts';
import { translator } from '../../src/i18n/index.ts';
import { badInput, conflict, DomainError, forbidden } from '../../src/server/errors.ts';

const root = path.resolve(import.meta.dirname, '../../src/server');
// `code: '...'` that are not DomainError codes: zod issue kinds and Node's network error codes (src/server/notify/ssrf.ts).
const NOT_REFUSALS = new Set(['custom', 'EBLOCKED', 'ENOTFOUND']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every `code: '<word>'` written under src/server, with where it is. */
function thrownCodes(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sources(root)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bcode: '(\w+)'/g)) {
      if (NOT_REFUSALS.has(m[1]!)) continue;
      const line = text.slice(0, m.index).split('\n').length;
      found.set(m[1]!, [...(found.get(m[1]!) ?? []), `${path.relative(root, file)}:${line}`]);
    }
  }
  return found;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('error codes and their words', () => {
  const en: Record<string, string> = errorMessages.en;
  const zh: Record<string, string> = errorMessages.zh;

  it('has every error.<code> in both languages, with the same placeholders', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      expect(key, key).toMatch(/^error\.\w+$/);
      expect(en[key]!.trim(), key).not.toBe('');
      expect(zh[key]!.trim(), key).not.toBe('');
      expect(zh[key], `${key} is not translated`).not.toBe(en[key]);
      expect(placeholders(zh[key]!), key).toEqual(placeholders(en[key]!));
    }
  });

  it('has words for every code thrown under src/server', () => {
    const codes = thrownCodes();
    expect(codes.size).toBeGreaterThan(100); // the scan finds them (it would pass vacuously otherwise)
    const missing = [...codes].filter(([code]) => !(`error.${code}` in en)).map(([code, where]) => `${code} (${where.join(', ')})`);
    expect(missing).toEqual([]);
  });

  it('has no words for a code nobody throws', () => {
    const codes = thrownCodes();
    expect(Object.keys(en).filter((key) => !codes.has(key.slice('error.'.length)))).toEqual([]);
  });

  it('says a coded refusal in the reader’s language, its values filled, and an uncoded one in the server’s words', () => {
    const zhT = translator('zh-CN');
    const enT = translator('en');
    const taken = conflict('A project "PAY" already exists', { code: 'projectExists', key: 'PAY' });
    expect(errorText(zhT, taken)).toBe('项目“PAY”已存在。');
    expect(errorText(enT, taken)).toBe('A project "PAY" already exists.');
    expect(errorText(zhT, badInput('Something else went wrong'))).toBe('Something else went wrong');
    expect(errorText(zhT, forbidden())).toBe('你无权在此执行此操作。');
    expect(errorText(zhT, forbidden('Only the reporter may do this'))).toBe('Only the reporter may do this');
    // A code without words (a typo, or one not yet translated) falls back to the English message.
    expect(errorText(zhT, new DomainError(400, 'Plain words', { code: 'noSuchCode' }))).toBe('Plain words');
  });
});
