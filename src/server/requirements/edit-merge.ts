// A requirement edit made on an older version, merged field by field with what changed since, as a
// stale page save is (src/server/pages/merge.ts): a field only one side changed takes that side's
// value, tags merge as sets, the description merges line by line. A field both changed differently
// is a conflict: nothing is saved, and the form comes back with each conflicting field marked.
import { normalizeEmail } from '../auth/users.ts';
import { conflict } from '../errors.ts';
import { mergedText, mergeMarkdown, mergeTags, mergeValue } from '../pages/merge.ts';
import { validDescription, validDue, validPriority, validTags, validTitle, type Priority } from './fields.ts';
import type { Requirement } from './load.ts';

/** The values an edit form started from, posted with it. */
export interface EditValues { title: string; priority: Priority; due: string | null; assignee: string | null; tags: string[]; description: string }
export type EditField = keyof EditValues;

/** An edit's fields, each validated, or undefined when the edit leaves it alone. */
export type EditChanges = Partial<EditValues>;

/** The starting values as posted (as untrusted as the rest of the form). */
export function validBase(raw: unknown): EditValues | undefined {
  if (raw === undefined) return undefined;
  const b = (raw ?? {}) as Record<string, unknown>;
  const assignee = typeof b.assignee === 'string' && b.assignee.trim() !== '' ? normalizeEmail(b.assignee) : null;
  return {
    title: validTitle(b.title), priority: validPriority(b.priority), due: validDue(b.due || null), assignee,
    tags: validTags(b.tags), description: validDescription(b.description ?? ''),
  };
}

/**
 * `ours` merged with the requirement as it is now (`theirs`, its assignee by e-mail), against the
 * values the form started from. Returns the changes to save as if made on the current version; a
 * 409 `reqChanged` with `conflicts` (the fields both sides changed) and `proposal` (the merge, with
 * our value in each conflicting field: what the form shows again) when they cannot merge.
 */
export function mergeEdit(req: Requirement, theirsAssignee: string | null, ours: EditChanges, base: EditValues): EditChanges {
  const theirs: EditValues = { title: req.title, priority: req.priority, due: req.due, assignee: theirsAssignee, tags: req.tags, description: req.markdown };
  const merged: EditChanges = {};
  const conflicts: EditField[] = [];
  const value = <K extends 'title' | 'priority' | 'due' | 'assignee'>(field: K) => {
    const mine = ours[field];
    if (mine === undefined) return;
    const m = mergeValue<EditValues[K]>(base[field], mine as EditValues[K], theirs[field]);
    if (m === undefined) conflicts.push(field);
    merged[field] = m ?? mine;
  };
  value('title');
  value('priority');
  value('due');
  value('assignee');
  if (ours.tags !== undefined) merged.tags = mergeTags(base.tags, ours.tags, theirs.tags);
  if (ours.description !== undefined) {
    const m = mergeMarkdown(base.description, ours.description, theirs.description);
    if (!m.clean) conflicts.push('description');
    merged.description = m.clean ? mergedText(m.blocks) : ours.description;
  }
  if (conflicts.length) {
    throw conflict(`${req.key} was changed since you loaded it: ${conflicts.join(', ')}`, {
      code: 'reqChanged', current: { version: req.version, ...theirs }, conflicts, proposal: { ...theirs, ...merged },
    });
  }
  return merged;
}
