// Editing a requirement's fields. Every changed field is recorded with before and after; a
// description edit after the requirement was agreed is flagged, and watchers are told.
import { eq } from 'drizzle-orm';
import { groups, requirements, users } from '../../../db/schema.ts';
import type { Viewer } from '../access/index.ts';
import { write, type Db } from '../db.ts';
import { badInput, conflict } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { renderPool } from '../pages/render-pool.ts';
import { userIdByEmail } from '../projects/projects.ts';
import { recordEvent, watch } from './events.ts';
import { validDescription, validDue, validPriority, validTags, validTitle } from './fields.ts';
import { loadRequirement, type Requirement } from './load.ts';

export interface EditInput { title?: unknown; description?: unknown; priority?: unknown; due?: unknown; assignee?: unknown; tags?: unknown; baseVersion?: unknown }

type Changes = Partial<Pick<Requirement, 'title' | 'markdown' | 'html' | 'text' | 'priority' | 'due' | 'assigneeId' | 'groupId' | 'tags'>>;

const emailOf = (tx: Db, id: number | null) => (id === null ? null : tx.select({ email: users.email }).from(users).where(eq(users.id, id)).get()?.email ?? null);
const groupOf = (tx: Db, id: number | null) => (id === null ? null : tx.select({ name: groups.name }).from(groups).where(eq(groups.id, id)).get()?.name ?? null);

export async function editRequirement(viewer: Viewer | null, key: string, input: EditInput): Promise<Requirement> {
  const { req: loaded, space } = loadRequirement(viewer, key, 'edit');
  if (input.baseVersion !== undefined && (!Number.isSafeInteger(input.baseVersion) || (input.baseVersion as number) < 1)) throw badInput('baseVersion must be a positive integer');
  const description = input.description === undefined ? undefined : validDescription(input.description);
  const rendered = description === undefined ? undefined : description ? await renderPool().render(space.key, description) : { html: '', text: '' };
  const title = input.title === undefined ? undefined : validTitle(input.title);
  const priority = input.priority === undefined ? undefined : validPriority(input.priority);
  const due = input.due === undefined ? undefined : validDue(input.due);
  const tags = input.tags === undefined ? undefined : validTags(input.tags);
  if (input.assignee !== undefined && input.assignee !== null && typeof input.assignee !== 'string') throw badInput('assignee is an email, or null to unassign');

  const result = write((tx) => {
    const req = tx.select().from(requirements).where(eq(requirements.id, loaded.id)).get()!;
    if (input.baseVersion !== undefined && input.baseVersion !== req.version) {
      throw conflict(`${key} was changed since you loaded it`, { current: { version: req.version, title: req.title, description: req.markdown } });
    }
    const changes: Changes = {};
    const fields: { field: string; before: unknown; after: unknown }[] = [];
    const set = <K extends keyof Changes>(field: K, value: Changes[K], show: { before: unknown; after: unknown } = { before: req[field], after: value }) => {
      if (JSON.stringify(req[field]) === JSON.stringify(value)) return;
      changes[field] = value;
      if (field !== 'markdown') fields.push({ field, ...show });
    };
    if (title !== undefined) set('title', title);
    if (priority !== undefined) set('priority', priority);
    if (due !== undefined) set('due', due);
    if (tags !== undefined) set('tags', tags);
    let assigneeChanged = false;
    if (input.assignee !== undefined) {
      const id = input.assignee === null || input.assignee === '' ? null : userIdByEmail(tx, input.assignee as string);
      if (id !== req.assigneeId) {
        set('assigneeId', id, { before: emailOf(tx, req.assigneeId), after: emailOf(tx, id) });
        fields.at(-1)!.field = 'assignee';
        assigneeChanged = true;
        // Taking an item out of a shared queue: it now has one owner.
        if (req.groupId !== null && id !== null) {
          changes.groupId = null;
          fields.push({ field: 'queue', before: groupOf(tx, req.groupId), after: null });
        }
      }
    }
    const descriptionChanged = description !== undefined && description !== req.markdown;
    if (!fields.length && !descriptionChanged) return { req, changed: false };
    if (descriptionChanged) Object.assign(changes, { markdown: description, html: rendered!.html, text: rendered!.text });
    const updated = tx.update(requirements).set({ ...changes, version: req.version + 1, updatedAt: Date.now() })
      .where(eq(requirements.id, req.id)).returning().get();
    if (fields.length) recordEvent(tx, updated, viewer!.id, 'changed', { fields: fields.map((f) => f.field), changes: fields, assigneeChanged });
    if (descriptionChanged) recordEvent(tx, updated, viewer!.id, 'edited', { before: req.markdown, after: description, agreed: req.agreedAt !== null });
    if (assigneeChanged && updated.assigneeId !== null) watch(tx, updated.id, updated.assigneeId);
    return { req: updated, changed: true };
  });
  if (result.changed) wakeOutbox();
  return result.req;
}
