// `@` mentions in page comments: who may be mentioned (active users who may read the space), the
// autocomplete's suggestions, and finding the people a comment names, by name or by email.
import { can, type SpaceRef } from '../access/index.ts';
import { prepared } from '../db.ts';

export interface Person { id: number; name: string; email: string }
interface Row extends Person { admin: number }

// Active users who may read the space: everyone for an org space; for a restricted one site admins
// and holders of a grant (direct or through a group). `can` stays the final word on each.
const readersWhere = (extra: string) => `select u.id, u.name, u.email, u.admin from users u, spaces s
  where s.id = @space and u.active = 1 and (${extra}) and (s.visibility = 'org' or u.admin = 1
    or u.id in (select user_id from grants where space_id = s.id and user_id is not null)
    or u.id in (select m.user_id from grants g join group_members m on m.group_id = g.group_id where g.space_id = s.id))`;

const matching = prepared((d) => d.$client.prepare<{ space: number; q: string }, Row>(
  `${readersWhere(`instr(lower(u.name), @q) > 0 or instr(lower(u.email), @q) > 0`)} order by instr(lower(u.name), @q) = 1 desc, u.name limit 10`,
));
// Users whose name or email the text after an `@` starts with (SQLite's lower() folds ASCII only,
// the same on both sides).
const prefixOf = prepared((d) => d.$client.prepare<{ space: number; text: string }, Row>(
  readersWhere(`substr(lower(@text), 1, length(u.name)) = lower(u.name) or substr(lower(@text), 1, length(u.email)) = lower(u.email)`),
));

const mayRead = (space: SpaceRef) => (r: Row) => can({ id: r.id, name: r.name, email: r.email, admin: r.admin === 1, locale: null }, 'read', space);
const person = ({ id, name, email }: Row): Person => ({ id, name, email });

/** Up to 10 people who may read the space whose name or email contains `q`, for the autocomplete. */
export function mentionSuggestions(space: SpaceRef, q: string): Person[] {
  const needle = q.normalize('NFC').trim().toLowerCase().slice(0, 100);
  if (!needle) return [];
  return matching().all({ space: space.id, q: needle }).filter(mayRead(space)).map(person);
}

const MAX_MENTIONS = 20;
// An `@` starts a mention only after a space, punctuation or the start ("bob@example.com" is no mention).
const MENTION_START = /(?<![\p{L}\p{N}_.+-])@/gu;
// After a mention ending in a Latin letter or digit, another one would mean a longer word ("@Ann" in "@Anna").
const WORD_GOES_ON = /^[A-Za-z0-9_@-]/;

/**
 * The people a comment mentions who may read the space: for each `@`, the longest name or email
 * the text after it begins with (names may hold spaces: "@Li Lei", "@张三"). Others are ignored.
 */
export function mentionedPeople(space: SpaceRef, markdown: string): Person[] {
  const found = new Map<number, Person>();
  let seen = 0;
  for (const m of markdown.matchAll(MENTION_START)) {
    if (++seen > MAX_MENTIONS) break;
    const text = markdown.slice(m.index + 1, m.index + 1 + 200);
    let best: { row: Row; length: number } | null = null;
    for (const row of prefixOf().all({ space: space.id, text })) {
      for (const label of [row.name, row.email]) {
        if (text.slice(0, label.length).toLowerCase() !== label.toLowerCase()) continue;
        if (/[A-Za-z0-9]$/.test(label) && WORD_GOES_ON.test(text.slice(label.length))) continue;
        if (!best || label.length > best.length) best = { row, length: label.length };
      }
    }
    if (best && mayRead(space)(best.row)) found.set(best.row.id, person(best.row));
  }
  return [...found.values()];
}
