// Validation of requirement fields shared by submission, editing and CSV import.
import { normalizeTags } from '../desk/tags.ts';
import { badInput, tooLarge } from '../errors.ts';
import { assertLinkCaps } from '../markdown/link-caps.ts';
import { validateTags, validateTitle } from '../pages/page-path.ts';
import { normalizeMarkdown } from '../pages/save-page.ts';

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const MAX_DESCRIPTION_BYTES = 256 * 1024;

export function validDescription(raw: unknown): string {
  if (typeof raw !== 'string') throw badInput('description must be a string');
  if (Buffer.byteLength(raw) > MAX_DESCRIPTION_BYTES) throw tooLarge('A requirement description is at most 256 KB', { code: 'descriptionTooLarge' });
  const markdown = normalizeMarkdown(raw);
  assertLinkCaps(markdown, 'requirement description');
  return markdown;
}

export function validPriority(raw: unknown): Priority {
  if (!PRIORITIES.includes(raw as Priority)) throw badInput(`priority is one of ${PRIORITIES.join(', ')}`, { code: 'badPriority' });
  return raw as Priority;
}

/** A calendar date YYYY-MM-DD (or null to clear it). */
export function validDue(raw: unknown): string | null {
  if (raw === null || raw === '') return null;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) throw badInput('due is a date like 2026-12-31', { code: 'dueFormat' });
  const d = new Date(`${raw}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== raw) throw badInput(`due: ${raw} is not a calendar date`, { code: 'dueNotDate', due: raw });
  return raw;
}

/** Tags trimmed and NFKC-normalised, without duplicates that differ only in case or width. */
export const validTags = (raw: unknown): string[] => normalizeTags(validateTags(raw));

export function validTitle(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.trim()) throw badInput('A requirement needs a title', { code: 'reqTitleRequired' });
  return validateTitle(raw);
}
