// A refused request said on a page in the reader's language.
import type { DomainError } from '../server/errors.ts';
import { fillMessage } from './fill.ts';
import { MESSAGE_KEYS, type MessageKey, type translator } from './index.ts';

const isNamed = (v: unknown): v is { en: string; zh: string } => typeof v === 'object' && v !== null && typeof (v as { en?: unknown }).en === 'string' && typeof (v as { zh?: unknown }).zh === 'string';

/**
 * The words for the error's `code` (src/i18n/errors.ts) when it has one (or a not-found), else the server's own. A
 * name the server gives in both languages (`{en, zh}`, a workflow state's) is written in the reader's.
 */
export function errorText(t: ReturnType<typeof translator>, err: DomainError): string {
  const key = `error.${String(err.extra.code)}`;
  // Not found carries no code (it answers alike for "not yours" and "not there"): said all the same.
  if (!MESSAGE_KEYS.has(key)) return err.status === 404 ? t('error.notFound') : err.message;
  const params = Object.fromEntries(Object.entries(err.extra).map(([k, v]) => [k, isNamed(v) ? (t.lang === 'zh-CN' ? v.zh : v.en) : v]));
  return fillMessage(t(key as MessageKey), params);
}
