// Comments on a requirement. Anyone who can read the project may comment; commenting makes you
// a watcher, and `@` with a name or an email (`@Li Lei`, `@li.lei@example.com`) tells that person,
// as in page comments (comments/mentions.ts); only people who may read the requirement hear of it.
import type { Viewer } from '../access/index.ts';
import { mentionedPeople } from '../comments/mentions.ts';
import { write } from '../db.ts';
import { badInput } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { markFirstResponse } from '../desk/sla.ts';
import { recordEvent, watch } from './events.ts';
import { loadRequirement } from './load.ts';

export function commentOn(viewer: Viewer | null, key: string, input: { comment?: unknown }): { id: number } {
  const { req, space } = loadRequirement(viewer, key, 'contribute');
  if (typeof input.comment !== 'string' || !input.comment.trim()) throw badInput('A comment needs some text', { code: 'commentEmpty' });
  const comment = input.comment.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (comment.length > 10_000) throw badInput('A comment is at most 10,000 characters', { code: 'commentTooLong', max: 10_000 });
  const mentionedUserIds = mentionedPeople(space, comment).map((p) => p.id);
  const id = write((tx) => {
    watch(tx, req.id, viewer!.id);
    markFirstResponse(tx, req.id, viewer!.id);
    return recordEvent(tx, req, viewer!.id, 'commented', { comment, mentionedUserIds });
  });
  wakeOutbox();
  return { id };
}
