// Editing a requirement's fields. Every changed field is recorded with before and after; a
// description edit after the requirement was agreed is flagged, and watchers are told.
import { and, eq, inArray } from 'drizzle-orm';
import { groups, requirements, requirementViewers, users } from '../../../db/schema.ts';
import { readableRequirementIds, type Viewer } from '../access/index.ts';
import { db, write, type Db } from '../db.ts';
import { badInput, conflict, DomainError } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { renderPool } from '../pages/render-pool.ts';
import { normalizeEmail } from '../auth/users.ts';
import { userIdByEmail } from '../projects/projects.ts';
import { recordEvent, watch } from './events.ts';
import { mergeEdit, validBase, type EditChanges, type EditValues } from './edit-merge.ts';
import { validDescription, validDue, validPriority, validTags, validTitle } from './fields.ts';
import { loadRequirement, type Requirement } from './load.ts';

/** `base`: the values the form started from (EditValues); with it, an edit on an older version is merged (edit-merge.ts) instead of refused. */
export interface EditInput { title?: unknown; description?: unknown; priority?: unknown; due?: unknown; assignee?: unknown; tags?: unknown; baseVersion?: unknown; restricted?: unknown; viewers?: unknown; base?: unknown }

type Changes = Partial<Pick<Requirement, 'title' | 'markdown' | 'html' | 'text' | 'priority' | 'due' | 'assigneeId' | 'groupId' | 'tags' | 'restricted'>>;

const emailOf = (tx: Db, id: number | null) => (id === null ? null : tx.select({ email: users.email }).from(users).where(eq(users.id, id)).get()?.email ?? null);
const MAX_VIEWERS = 200;

/** The explicit viewers' user ids from e-mails: 400 when not a list of strings, 422 naming any that is no active user. */
function viewerIds(tx: Db, input: unknown): number[] {
  if (!Array.isArray(input) || input.length > MAX_VIEWERS || !input.every((e) => typeof e === 'string' && e.length <= 320)) {
    throw badInput(`viewers is a list of at most ${MAX_VIEWERS} e-mail addresses`, { code: 'tooManyViewers', max: MAX_VIEWERS });
  }
  const emails = [...new Set(input.map((e: string) => normalizeEmail(e)))];
  const found = new Map(emails.length
    ? tx.select({ id: users.id, email: users.email }).from(users).where(and(inArray(users.email, emails), eq(users.active, true))).all().map((u) => [u.email, u.id])
    : []);
  const unknown = emails.filter((e) => !found.has(e));
  if (unknown.length) throw new DomainError(422, `No active user ${unknown.slice(0, 5).map((e) => `"${e.slice(0, 80)}"`).join(', ')}`, { unknown: unknown.slice(0, 50), code: 'noActiveUsers' });
  return emails.map((e) => found.get(e)!);
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const viewerEmails = (tx: Db, requirementId: number) => tx.select({ email: users.email }).from(requirementViewers)
  .innerJoin(users, eq(users.id, requirementViewers.userId)).where(eq(requirementViewers.requirementId, requirementId)).all().map((u) => u.email).sort();

const groupOf = (tx: Db, id: number | null) => (id === null ? null : tx.select({ name: groups.name }).from(groups).where(eq(groups.id, id)).get()?.name ?? null);

export async function editRequirement(viewer: Viewer | null, key: string, input: EditInput): Promise<Requirement> {
  const { req: loaded, space } = loadRequirement(viewer, key, 'edit');
  if (input.baseVersion !== undefined && (!Number.isSafeInteger(input.baseVersion) || (input.baseVersion as number) < 1)) throw badInput('baseVersion must be a positive integer');
  if (input.assignee !== undefined && input.assignee !== null && typeof input.assignee !== 'string') throw badInput('assignee is an email, or null to unassign');
  if (input.restricted !== undefined && typeof input.restricted !== 'boolean') throw badInput('restricted is true or false');
  let edit: EditChanges = {
    description: input.description === undefined ? undefined : validDescription(input.description),
    title: input.title === undefined ? undefined : validTitle(input.title),
    priority: input.priority === undefined ? undefined : validPriority(input.priority),
    due: input.due === undefined ? undefined : validDue(input.due),
    tags: input.tags === undefined ? undefined : validTags(input.tags),
    assignee: input.assignee === undefined ? undefined : input.assignee === null || input.assignee === '' ? null : normalizeEmail(input.assignee as string),
  };
  const base = validBase(input.base);
  let baseVersion = input.baseVersion;
  if (base && baseVersion !== undefined && baseVersion !== loaded.version) {
    edit = mergeEdit(loaded, emailOf(db(), loaded.assigneeId), edit, base);
    baseVersion = loaded.version; // saved only if nobody changed it again meanwhile
  }
  const { description, title, priority, due, tags } = edit;
  const rendered = description === undefined ? undefined : description ? await renderPool().render(space.key, description, { owner: viewer!.id }) : { html: '', text: '' };

  const result = write((tx) => {
    const req = tx.select().from(requirements).where(eq(requirements.id, loaded.id)).get()!;
    if (baseVersion !== undefined && baseVersion !== req.version) {
      const current: EditValues & { version: number } = {
        version: req.version, title: req.title, priority: req.priority, due: req.due, assignee: emailOf(tx, req.assigneeId), tags: req.tags, description: req.markdown,
      };
      throw conflict(`${key} was changed since you loaded it`, { current, code: 'reqChanged' });
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
    if (edit.assignee !== undefined) {
      const id = edit.assignee === null ? null : userIdByEmail(tx, edit.assignee);
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
    if (input.restricted !== undefined) set('restricted', input.restricted as boolean);
    const viewersBefore = viewerEmails(tx, req.id);
    if (input.viewers !== undefined) {
      const ids = viewerIds(tx, input.viewers);
      tx.delete(requirementViewers).where(eq(requirementViewers.requirementId, req.id)).run();
      if (ids.length) tx.insert(requirementViewers).values(ids.map((userId) => ({ requirementId: req.id, userId }))).run();
    }
    const viewersNow = () => viewerEmails(tx, req.id);
    const descriptionChanged = description !== undefined && description !== req.markdown;
    if (!fields.length && !descriptionChanged && sameList(viewersBefore, viewersNow())) return { req, changed: false };
    if (descriptionChanged) Object.assign(changes, { markdown: description, html: rendered!.html, text: rendered!.text });
    const updated = tx.update(requirements).set({ ...changes, version: req.version + 1, updatedAt: Date.now() })
      .where(eq(requirements.id, req.id)).returning().get();
    // An edit never locks its author out: one who could no longer read it is added to its viewers.
    if (!readableRequirementIds(viewer, [req.id]).has(req.id)) tx.insert(requirementViewers).values({ requirementId: req.id, userId: viewer!.id }).run();
    const viewersAfter = viewersNow();
    if (!sameList(viewersBefore, viewersAfter)) fields.push({ field: 'viewers', before: viewersBefore, after: viewersAfter });
    if (fields.length) recordEvent(tx, updated, viewer!.id, 'changed', { fields: fields.map((f) => f.field), changes: fields, assigneeChanged });
    if (descriptionChanged) recordEvent(tx, updated, viewer!.id, 'edited', { before: req.markdown, after: description, agreed: req.agreedAt !== null });
    if (assigneeChanged && updated.assigneeId !== null) watch(tx, updated.id, updated.assigneeId);
    return { req: updated, changed: true };
  });
  if (result.changed) wakeOutbox();
  return result.req;
}
