// `@` mentions in page comments: who may be mentioned (active users who may read the space), the
// autocomplete's suggestions, and finding the people a comment names, by name or by email.
import { can, type SpaceRef } from '../access/index.ts';
import { prepared } from '../db.ts';

export interface Person { id: number; name: string; email: string }
interface Row extends Person { admin: number }

const MAX_SUGGESTIONS = 8;
// Active users who may read the space: everyone for an org space; for a restricted one site admins
// and holders of a grant (direct or through a group). `can` stays the final word on each.
const readersWhere = (extra: string) => `select u.id, u.name, u.email, u.admin from users u, spaces s
  where s.id = @space and u.active = 1 and (${extra}) and (s.visibility = 'org' or u.admin = 1
    or u.id in (select user_id from grants where space_id = s.id and user_id is not null)
    or u.id in (select m.user_id from grants g join group_members m on m.group_id = g.group_id where g.space_id = s.id))`;

// By name only, or (for editors) by name or email: the address before its @ unless the query has
// one, so "om" finds Omar, not everyone at example.com.
const matching = prepared((d) => d.$client.prepare<{ space: number; q: string; emails: number }, Row>(
  `${readersWhere(`instr(lower(u.name), @q) > 0 or (@emails = 1 and instr(lower(case when instr(@q, '@') > 0 then u.email else substr(u.email, 1, instr(u.email, '@') - 1) end), @q) > 0)`)} order by instr(lower(u.name), @q) = 1 desc, u.name limit ${MAX_SUGGESTIONS}`,
));
// Users whose name or email the text after an `@` starts with (SQLite's lower() folds ASCII only,
// the same on both sides).
const prefixOf = prepared((d) => d.$client.prepare<{ space: number; text: string }, Row>(
  readersWhere(`substr(lower(@text), 1, length(u.name)) = lower(u.name) or substr(lower(@text), 1, length(u.email)) = lower(u.email)`),
));

const mayRead = (space: SpaceRef) => (r: Row) => can({ id: r.id, name: r.name, email: r.email, admin: r.admin === 1, locale: null }, 'read', space);
const person = ({ id, name, email }: Row): Person => ({ id, name, email });

/**
 * Up to 8 people who may read the space (so a mention reaches them) whose name contains `q`: at
 * least two characters, or one Chinese character (a surname). Emails are matched and shown only
 * when `withEmails` (the space's editors); readers see names, as on pages and comments.
 */
export function mentionSuggestions(space: SpaceRef, q: string, withEmails: boolean): { name: string; email?: string }[] {
  const needle = q.normalize('NFC').trim().toLowerCase().slice(0, 100);
  if (needle.length < 2 && !/\p{Script=Han}/u.test(needle)) return [];
  return matching().all({ space: space.id, q: needle, emails: withEmails ? 1 : 0 }).filter(mayRead(space))
    .map(({ name, email }) => (withEmails ? { name, email } : { name }));
}

const MAX_MENTIONS = 20;
// An `@` starts a mention only after a space, punctuation or the start ("bob@example.com" is no mention).
const MENTION_START = /(?<![\p{L}\p{N}_.+-])@/gu;
// After a mention ending in a Latin letter or digit, another one would mean a longer word ("@Ann" in "@Anna").
const WORD_GOES_ON = /^[A-Za-z0-9_@-]/;

/** An `@` mention in a text: from the `@` up to the end of the name or email it names. */
export interface Mention { start: number; end: number; person: Person }

/**
 * The mentions in a text of people who may read the space: for each `@`, the longest name or email
 * the text after it begins with (names may hold spaces: "@Li Lei", "@张三"). Others are ignored.
 */
export function findMentions(space: SpaceRef, text: string): Mention[] {
  const found: Mention[] = [];
  let seen = 0;
  for (const m of text.matchAll(MENTION_START)) {
    if (++seen > MAX_MENTIONS) break;
    const after = text.slice(m.index + 1, m.index + 1 + 200);
    let best: { row: Row; length: number } | null = null;
    for (const row of prefixOf().all({ space: space.id, text: after })) {
      for (const label of [row.name, row.email]) {
        if (after.slice(0, label.length).toLowerCase() !== label.toLowerCase()) continue;
        if (/[A-Za-z0-9]$/.test(label) && WORD_GOES_ON.test(after.slice(label.length))) continue;
        if (!best || label.length > best.length) best = { row, length: label.length };
      }
    }
    if (best && mayRead(space)(best.row)) found.push({ start: m.index, end: m.index + 1 + best.length, person: person(best.row) });
  }
  return found;
}

/** The people a comment mentions who may read the space, each once. */
export function mentionedPeople(space: SpaceRef, markdown: string): Person[] {
  return [...new Map(findMentions(space, markdown).map((m) => [m.person.id, m.person])).values()];
}
