// A comment the plain form (no JavaScript) sent and the server refused goes back to the page with
// the reason in the URL; the text cannot ride along (a URL holds no 10,000 characters and should
// not hold what someone typed), so it is kept here a while for its author alone, and the page puts
// it back in the form it came from. In memory: it is a convenience for the next page view, not data.
import { DomainError } from '../errors.ts';

/** Which form the text came from: a new comment, a reply to a thread, or an edit of a comment. */
export interface RefusedComment {
  space: string; path: string; reason: CommentRefusal;
  form: { kind: 'post'; parent: number | null } | { kind: 'edit'; id: number };
  markdown: string;
}
export const COMMENT_REFUSALS = ['empty', 'tooLarge', 'tooManyLinks', 'archived', 'forbidden', 'notFound', 'other'] as const;
export type CommentRefusal = typeof COMMENT_REFUSALS[number];

const KEEP_MS = 15 * 60_000;
const MAX_KEPT = 500;
// More than the form's maxlength lets anyone type; anything longer is kept only up to this.
const MAX_KEPT_CHARS = 20_000;
const kept = new Map<number, RefusedComment & { at: number }>(); // by user: the latest only

/** The reason a comment write was refused, for the page to say in the viewer's language. */
export function commentRefusal(err: DomainError): CommentRefusal {
  switch (err.status) {
    case 400: return err.message.startsWith('parent:') ? 'notFound' : err.message === 'A comment needs some text' ? 'empty' : 'other';
    case 403: return 'forbidden';
    case 404: return 'notFound';
    case 409: return err.extra.archived ? 'archived' : 'other';
    case 413: return 'tooLarge';
    case 422: return 'tooManyLinks';
    default: return 'other';
  }
}

export function keepRefused(userId: number, refused: RefusedComment): void {
  kept.delete(userId); // re-inserted last: the map's order is its age
  kept.set(userId, { ...refused, markdown: refused.markdown.slice(0, MAX_KEPT_CHARS), at: Date.now() });
  for (const [oldest] of kept) {
    if (kept.size <= MAX_KEPT) break;
    kept.delete(oldest);
  }
}

/** The viewer's refused comment on this page, if it is recent. */
export function refusedOn(userId: number, space: string, path: string): RefusedComment | undefined {
  const r = kept.get(userId);
  if (!r || Date.now() - r.at > KEEP_MS) return undefined;
  return r.space === space && r.path === path ? r : undefined;
}

/** A later write by the same person went through: the old text is not offered again. */
export function forgetRefused(userId: number): void {
  kept.delete(userId);
}
