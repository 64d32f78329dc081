// Tags on the desk: stored as typed (trimmed, NFKC so full-width ＬＯＧＩＮ is LOGIN), matched by a
// key that ignores case and width, and through the project's aliases (登录 = login). Routing, the
// list's tag filter and the submit form's suggestions all go through here.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { DomainError } from '../errors.ts';

/** The matching key of a tag: NFKC (width-insensitive), trimmed, lower case. */
export const tagKey = (tag: string): string => tag.normalize('NFKC').trim().toLowerCase();

/** A tag as stored: NFKC and trimmed, its spelling otherwise kept. */
export const normalizeTag = (tag: string): string => tag.normalize('NFKC').trim();

/** Normalised tags without duplicates by key (the first spelling wins). */
export function normalizeTags(tags: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const tag of tags.map(normalizeTag)) if (tag && !byKey.has(tagKey(tag))) byKey.set(tagKey(tag), tag);
  return [...byKey.values()];
}

export type TagAliases = Record<string, string>;

/** The canonical key a tag stands for in a project (an alias resolves to its target). */
export function canonicalTag(aliases: TagAliases, tag: string): string {
  const key = tagKey(tag);
  return Object.hasOwn(aliases, key) ? aliases[key]! : key;
}

/** Whether a requirement's tags include `wanted`, by key and through aliases. */
export function hasTag(aliases: TagAliases, tags: string[], wanted: string): boolean {
  const target = canonicalTag(aliases, wanted);
  return tags.some((t) => canonicalTag(aliases, t) === target);
}

/** Every key that means the same tag as `wanted`: its canonical key and all aliases of it. */
export function tagKeysFor(aliases: TagAliases, wanted: string): string[] {
  const target = canonicalTag(aliases, wanted);
  return [target, ...Object.keys(aliases).filter((a) => aliases[a] === target)];
}

/** SQL: the requirement's tags (a JSON column) include one meaning `wanted` (uses the tag_key() SQL function). */
export function tagCondition(tagsColumn: SQLWrapper, aliases: TagAliases, wanted: string): SQL {
  const keys = tagKeysFor(aliases, wanted);
  return sql`exists (select 1 from json_each(${tagsColumn}) where tag_key(value) in (${sql.join(keys.map((k) => sql`${k}`), sql`, `)}))`;
}

/** The same as a plain WHERE fragment with `?` placeholders, for SQL built as text (the dashboards). */
export function tagConditionText(tagsColumn: string, aliases: TagAliases, wanted: string): { sql: string; params: string[] } {
  const keys = tagKeysFor(aliases, wanted);
  return { sql: `exists (select 1 from json_each(${tagsColumn}) where tag_key(value) in (${keys.map(() => '?').join(', ')}))`, params: keys };
}

const MAX_ALIASES = 200;
const unprocessable = (message: string) => new DomainError(422, message);

/**
 * Validates `{alias: tag}` and returns it with normalised keys and every alias pointing straight
 * at its final tag (登录 → log-in → login becomes 登录 → login, log-in → login). Self-aliases
 * and cycles are refused (422), naming the tags involved.
 */
export function validateAliases(input: unknown): TagAliases {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw unprocessable('aliases: send an object like {"登录": "login"}');
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_ALIASES) throw unprocessable(`At most ${MAX_ALIASES} tag aliases`);
  const direct = new Map<string, string>();
  for (const [rawAlias, rawTag] of entries) {
    if (typeof rawTag !== 'string') throw unprocessable(`alias "${rawAlias.slice(0, 64)}": the tag it stands for must be a string`);
    const alias = tagKey(rawAlias);
    const tag = tagKey(rawTag);
    for (const t of [alias, tag]) {
      if (!t || t.length > 64 || /[\u0000-\u001f\u007f,]/.test(t)) throw unprocessable(`"${t.slice(0, 64)}": a tag is 1–64 characters, without commas or control characters`);
    }
    if (alias === tag) throw unprocessable(`"${rawAlias}" cannot be an alias of itself`);
    if (direct.has(alias)) throw unprocessable(`"${rawAlias}" is given twice (tags match regardless of case and width)`);
    direct.set(alias, tag);
  }
  const out: TagAliases = {};
  for (const alias of direct.keys()) {
    const path = [alias];
    let tag = direct.get(alias)!;
    while (direct.has(tag)) {
      if (path.includes(tag)) throw unprocessable(`Tag aliases go round in a circle: ${[...path, tag].join(' → ')}`);
      path.push(tag);
      tag = direct.get(tag)!;
    }
    out[alias] = tag;
  }
  return out;
}
