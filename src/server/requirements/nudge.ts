// 催办: anyone who can read the project may remind the people responsible, at most once an hour
// per requirement, so a reminder stays a signal and not noise.
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { requirements } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write } from '../db.ts';
import { DomainError } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { recordEvent } from './events.ts';
import { loadRequirement } from './load.ts';

export const NUDGE_INTERVAL_MS = 60 * 60 * 1000;

export function nudge(viewer: Viewer | null, key: string, input: { comment?: unknown } = {}): { nudgedAt: number } {
  const { req } = loadRequirement(viewer, key, 'contribute');
  if (req.closedAt !== null) throw new DomainError(422, `${key} is already done; there is nobody to remind`, { code: 'nothingToNudge' });
  const comment = typeof input.comment === 'string' ? input.comment.trim().slice(0, 1000) : '';
  const now = Date.now();
  const result = write((tx) => {
    // Claim the hour atomically: two nudges at once cannot both pass.
    const claimed = tx.update(requirements).set({ lastNudgedAt: now })
      .where(and(eq(requirements.id, req.id), or(isNull(requirements.lastNudgedAt), lt(requirements.lastNudgedAt, now - NUDGE_INTERVAL_MS))))
      .returning().get();
    if (!claimed) {
      const last = tx.select({ at: requirements.lastNudgedAt }).from(requirements).where(eq(requirements.id, req.id)).get()!.at!;
      const retryAfter = Math.ceil((last + NUDGE_INTERVAL_MS - now) / 1000);
      throw new DomainError(429, `${key} was nudged less than an hour ago; try again in ${Math.ceil(retryAfter / 60)} min`, { retryAfter });
    }
    recordEvent(tx, claimed, viewer!.id, 'nudged', { comment });
    return { nudgedAt: now };
  });
  wakeOutbox();
  return result;
}
