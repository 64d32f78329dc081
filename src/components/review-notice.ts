// What a page's owner-and-review form says after it was sent (/forms/page-review redirects back
// with ?reviewSaved=saved|verified or ?reviewError=<field or reason>): one fixed message, never text from the URL.
import type { MessageKey } from '../i18n/index.ts';

const ERRORS = new Set(['owner', 'reviewBy', 'forbidden']);

export function reviewNotice(q: URLSearchParams): { error: boolean; key: MessageKey } | null {
  const error = q.get('reviewError');
  if (error !== null) return { error: true, key: `owners.error.${ERRORS.has(error) ? error : 'other'}` as MessageKey };
  const saved = q.get('reviewSaved');
  if (saved !== null) return { error: false, key: saved === 'verified' ? 'owners.verified' : 'owners.saved' };
  return null;
}
