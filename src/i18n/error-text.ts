// A refused request said on a page in the reader's language.
import type { DomainError } from '../server/errors.ts';
import { fillMessage } from './fill.ts';
import { MESSAGE_KEYS, type MessageKey, type translator } from './index.ts';

/** The words for the error's `code` (src/i18n/errors.ts) when it has one, else the server's own. */
export function errorText(t: ReturnType<typeof translator>, err: DomainError): string {
  const key = `error.${String(err.extra.code)}`;
  return MESSAGE_KEYS.has(key) ? fillMessage(t(key as MessageKey), err.extra) : err.message;
}
