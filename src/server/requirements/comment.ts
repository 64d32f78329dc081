// Comments on a requirement. Anyone who can read the project may comment; commenting makes you
// a watcher, and `@someone@example.com` tells that person.
import { inArray } from 'drizzle-orm';
import { users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write } from '../db.ts';
import { badInput } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { markFirstResponse } from '../desk/sla.ts';
import { recordEvent, watch } from './events.ts';
import { loadRequirement } from './load.ts';

const MENTION = /(?<![\w.+-])@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/g;

export function commentOn(viewer: Viewer | null, key: string, input: { comment?: unknown }): { id: number } {
  const { req } = loadRequirement(viewer, key, 'contribute');
  if (typeof input.comment !== 'string' || !input.comment.trim()) throw badInput('A comment needs some text', { code: 'commentEmpty' });
  const comment = input.comment.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (comment.length > 10_000) throw badInput('A comment is at most 10,000 characters', { code: 'commentTooLong', max: 10_000 });
  const emails = [...new Set([...comment.matchAll(MENTION)].map((m) => m[1]!.toLowerCase()))].slice(0, 20);
  const id = write((tx) => {
    const mentionedUserIds = emails.length ? tx.select({ id: users.id }).from(users).where(inArray(users.email, emails)).all().map((r) => r.id) : [];
    watch(tx, req.id, viewer!.id);
    markFirstResponse(tx, req.id, viewer!.id);
    return recordEvent(tx, req, viewer!.id, 'commented', { comment, mentionedUserIds });
  });
  wakeOutbox();
  return { id };
}
