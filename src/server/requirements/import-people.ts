// Who a spreadsheet names as reporter or assignee: an e-mail address or a display name (张敏,
// "Zhang Min"). A match is an existing user, active or not (a leaver's items are still theirs),
// a real user before an imported placeholder of the same name; two users of one name are ambiguous; nobody becomes an inactive placeholder user marked
// `imported`, so history shows the real person and a later handover can pass their items on.
// A name in Latin letters also matches a Chinese name by its pinyin, in either order, whatever the
// case and spaces ("Zhang Min", "min zhang", "ZhangMin" → 张敏), and a Chinese name matches a user
// whose name is its pinyin; every user a name matches counts, so two Chinese names that read the
// same (张敏, 章敏), or 张敏 and a "Zhang Min", are ambiguous.
import { createHash } from 'node:crypto';
import { pinyin } from 'pinyin-pro';
import { users } from '../../../db/schema.ts';
import { normalizeEmail } from '../auth/users.ts';
import { editDistance } from '../edit-distance.ts';
import type { Db } from '../db.ts';
import { personRef } from './csv-read.ts';

/**
 * A known user (`id`), or a placeholder to create on import (`id` null). `lookalike`: for a new
 * address, a user whose address is a typo away (nina.berg@exmaple.com → nina.berg@example.com).
 */
export interface ImportPerson { id: number | null; email: string; name: string; lookalike?: { email: string; name: string } }

const nameKey = (name: string) => name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();

const HAN_NAME = /^[\p{Script=Han}·•・\s]+$/u;
const LATIN_NAME = /^[a-z\s'’.-]+$/i;
/** A romanised name as one run of letters: "Zhang  Min", "zhang-min" → "zhangmin". */
const latinKey = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

/**
 * The ways a Chinese name is written in pinyin without tones, as runs of letters: family name first
 * and last (a family name of one or two characters: 欧阳娜娜 → "nanaouyang"); ü also as u, v, yu.
 */
export function pinyinKeys(name: string): string[] {
  if (!HAN_NAME.test(name)) return [];
  const syllables = pinyin(name.replace(/[·•・\s]/g, ''), { toneType: 'none', type: 'array', surname: 'head' });
  const orders = [syllables.join('')];
  for (const split of [1, 2]) if (syllables.length > split) orders.push([...syllables.slice(split), ...syllables.slice(0, split)].join(''));
  return [...new Set(orders.flatMap((o) => (o.includes('ü') ? ['u', 'v', 'yu'].map((u) => o.replaceAll('ü', u)) : [o])))];
}

/** `.invalid` is reserved (RFC 2606): nothing is ever sent to a placeholder. */
const placeholderEmail = (name: string) => `imported-${createHash('sha256').update(nameKey(name)).digest('hex').slice(0, 12)}@imported.invalid`;

/** A finder over all users, read once per import; throws a plain Error (a row error) when a name is ambiguous. */
export function importPeople(d: Db): (raw: string) => ImportPerson {
  const all = d.select({ id: users.id, email: users.email, name: users.name, imported: users.imported }).from(users).all();
  const byEmail = new Map<string, ImportPerson>(all.map((u) => [u.email, u]));
  const byName = Map.groupBy(all, (u) => nameKey(u.name));
  // The other script: users with Chinese names by each pinyin spelling, users with Latin names by their letters.
  const byPinyin = Map.groupBy(all.flatMap((u) => pinyinKeys(u.name).map((key) => ({ key, u }))), (e) => e.key);
  const byLatin = Map.groupBy(all.filter((u) => LATIN_NAME.test(u.name)), (u) => latinKey(u.name));
  const otherScript = (name: string): typeof all => {
    const found = LATIN_NAME.test(name) ? (byPinyin.get(latinKey(name)) ?? []).map((e) => e.u) : pinyinKeys(name).flatMap((k) => byLatin.get(k) ?? []);
    return [...new Set(found)];
  };
  // Placeholders met so far, by name: the same person named twice in one sheet is one person,
  // and "Tom Becker <tom@…>" gives the "Tom Becker" of other rows that address.
  const pending = new Map<string, ImportPerson>();
  // A real user whose address is one or two letters off, or the same name at another domain: the
  // preview asks whether that was meant before a placeholder takes the items.
  const real = all.filter((u) => !u.imported);
  const lookalike = (email: string) => {
    const local = email.slice(0, email.lastIndexOf('@'));
    const u = real.find((r) => editDistance(email, r.email, 2) <= 2) ?? real.find((r) => r.email.slice(0, r.email.lastIndexOf('@')) === local);
    return u && { email: u.email, name: u.name };
  };
  const checkName = (name: string) => {
    if (name.length > 120 || /[\u0000-\u001f]/.test(name)) throw new Error('a name is 1–120 characters without control characters');
  };
  return (raw) => {
    const ref = personRef(raw);
    if (ref.name) checkName(ref.name);
    if (ref.email) {
      const email = normalizeEmail(ref.email);
      const user = byEmail.get(email);
      if (user) return user;
      const named = ref.name === undefined ? undefined : pending.get(nameKey(ref.name));
      if (named?.email.endsWith('@imported.invalid')) {
        named.email = email;
        byEmail.set(email, named);
        return named;
      }
      const near = lookalike(email);
      const person: ImportPerson = { id: null, email, name: ref.name ?? email.split('@')[0]!, ...(near ? { lookalike: near } : {}) };
      byEmail.set(email, person);
      if (ref.name) pending.set(nameKey(ref.name), person);
      return person;
    }
    const name = ref.name!;
    // Someone who signs in now outranks an earlier import's placeholder of the same name.
    const named = [...new Set([...(byName.get(nameKey(name)) ?? []), ...otherScript(name)])];
    const realNamed = named.filter((u) => !u.imported);
    const matches = realNamed.length ? realNamed : named;
    if (matches.length > 1) throw new Error(`${matches.length} people are called "${name.slice(0, 80)}" (${matches.map((u) => u.email).join(', ')}): write an e-mail address instead`);
    if (matches[0]) return matches[0];
    const person: ImportPerson = pending.get(nameKey(name)) ?? { id: null, email: placeholderEmail(name), name };
    pending.set(nameKey(name), person);
    return person;
  };
}

/** Creates the placeholders among `people` (once each, by e-mail); returns every person's user id by e-mail. */
export function createPlaceholders(tx: Db, people: Iterable<ImportPerson>): Map<string, number> {
  const ids = new Map<string, number>();
  for (const p of people) {
    if (ids.has(p.email)) continue;
    ids.set(p.email, p.id ?? tx.insert(users).values({ email: p.email, name: p.name, active: false, imported: true }).returning({ id: users.id }).get().id);
  }
  return ids;
}
