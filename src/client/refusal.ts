// Refusals said by browser scripts in the reader's language. The page hands a script its words
// (`strings`, keyed as in src/i18n); a refusal the server names by `code` is said in them, anything
// else in the server's own words.
import { fillMessage } from '../i18n/fill.ts';

export interface ErrorAnswer { error?: string; code?: string; [field: string]: unknown }

/** Why an upload was refused. The front door's 413 (before any route, without a code) is always "too large"; a 404 (no code, as every not-found) "not there or not yours". */
export function uploadRefusalText(strings: Record<string, string>, status: number, answer: ErrorAnswer | null): string {
  const code = answer?.code ?? (status === 413 ? 'tooLarge' : status === 404 ? 'notFound' : undefined);
  return (code && strings[`attachments.why.${code}`]) || answer?.error || String(status);
}

/** Why a preview (or another request) was refused: the words for its code (src/i18n/errors.ts), else the server's. */
export function refusalText(strings: Record<string, string>, status: number, answer: ErrorAnswer | null): string {
  const words = answer?.code ? strings[`error.${answer.code}`] : undefined;
  return words ? fillMessage(words, answer!) : answer?.error ?? String(status);
}
