// The text of a refused no-JavaScript comment, kept for its author's next page view: only theirs,
// only on that page, only the latest, for 15 minutes, for at most 500 people and 20,000 characters.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commentRefusal, forgetRefused, keepRefused, refusedOn } from '../../src/server/comments/refused.ts';
import { DomainError } from '../../src/server/errors.ts';

const refused = (markdown: string, path = 'plan') => ({ space: 'eng', path, reason: 'empty' as const, form: { kind: 'post' as const, parent: null }, markdown });

afterEach(() => { vi.useRealTimers(); });

describe('refused comments', () => {
  it('are kept for their author on their page only, the latest one, until a comment goes through', () => {
    keepRefused(1, refused('first'));
    keepRefused(1, refused('second'));
    expect(refusedOn(1, 'eng', 'plan')?.markdown).toBe('second');
    expect(refusedOn(2, 'eng', 'plan')).toBeUndefined();
    expect(refusedOn(1, 'eng', 'other')).toBeUndefined();
    forgetRefused(1);
    expect(refusedOn(1, 'eng', 'plan')).toBeUndefined();
  });

  it('lapse after 15 minutes, keep at most 500 people and 20,000 characters', () => {
    vi.useFakeTimers();
    keepRefused(7, refused('x'.repeat(50_000)));
    expect(refusedOn(7, 'eng', 'plan')?.markdown).toHaveLength(20_000);
    vi.advanceTimersByTime(15 * 60_000 + 1);
    expect(refusedOn(7, 'eng', 'plan')).toBeUndefined();
    for (let user = 1000; user < 1501; user++) keepRefused(user, refused(`by ${user}`));
    expect(refusedOn(1000, 'eng', 'plan')).toBeUndefined(); // the oldest made room
    expect(refusedOn(1001, 'eng', 'plan')?.markdown).toBe('by 1001');
  });

  it('name the reason the page says', () => {
    expect(commentRefusal(new DomainError(400, 'A comment needs some text'))).toBe('empty');
    expect(commentRefusal(new DomainError(400, 'parent: no such comment on this page'))).toBe('notFound');
    expect(commentRefusal(new DomainError(413, 'A comment is at most 10,000 characters'))).toBe('tooLarge');
    expect(commentRefusal(new DomainError(422, 'A comment may link to at most 1,000 pages'))).toBe('tooManyLinks');
    expect(commentRefusal(new DomainError(409, 'This space is archived', { archived: true }))).toBe('archived');
    expect(commentRefusal(new DomainError(403, 'no'))).toBe('forbidden');
  });
});
