// One-step handover (issue 11): everything a leaver holds passes to a successor (or one per kind)
// in ONE transaction, recorded on each requirement, in the audit log, and optionally with the
// leaver deactivated. Their API tokens are revoked, not moved: a credential is personal.
import { z } from 'astro/zod';
import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  apiTokens, grants, groupMembers, groups, pages, projects, requirements, routingRules, sessions, users, webhooks,
} from '../../../db/schema.ts';
import { can, readableRequirementIds, ROLES, spaceRoles, type Role, type SpaceRef, type Viewer } from '../access/index.ts';
import { normalizeEmail } from '../auth/users.ts';
import { db, write, type Db } from '../db.ts';
import { DomainError, notFound } from '../errors.ts';
import { wakeOutbox } from '../outbox.ts';
import { noticeSuccessors, type Received } from '../notify/successor-notice.ts';
import { recordEvent } from '../requirements/events.ts';
import { appendAudit } from './audit.ts';
import { groupMemberEmails } from './groups.ts';
import { assertSiteAdminOr404, HELD } from './holdings.ts';

export const HANDOVER_KINDS = ['requirements', 'groups', 'rules', 'projects', 'spaces', 'pages', 'watches', 'webhooks'] as const;
export type HandoverKind = (typeof HANDOVER_KINDS)[number];

export interface HandoverInput { to: string; deactivate?: boolean; successors?: Partial<Record<HandoverKind, string>> }
export type Moved = Record<HandoverKind | 'tokensRevoked', number>;
export interface HandoverResult { from: string; to: string; deactivated: boolean; moved: Moved; access: AccessChange }

/**
 * What the handover does to who may read what, for the admin to see before confirming: a queue
 * membership carries its group's grants, and a successor may be given pages or requirements in a
 * space they cannot read (they hold them, but cannot open them).
 */
export interface AccessChange {
  /** Spaces where a successor's role rises (a group joined, an admin grant). */
  gained: { to: string; space: string; role: Role }[];
  /** What a successor now holds but may not read: pages and projects by space, requirements by project. */
  unreadable: { to: string; kind: 'pages' | 'requirements' | 'projects'; count: number; in: string[] }[];
}

interface Person { id: number; email: string; name: string; admin: boolean }

const Email = z.string().max(254);
/** The request body: unknown fields (a misspelt kind) are refused rather than ignored. */
export const HandoverBody = z.object({
  to: Email,
  deactivate: z.boolean().optional(),
  successors: z.object(Object.fromEntries(HANDOVER_KINDS.map((k) => [k, Email.optional()])) as Record<HandoverKind, z.ZodOptional<typeof Email>>).strict().optional(),
}).strict();

/** A user id from the URL; anything else names no user. */
export function userIdParam(raw: string | undefined): number {
  const id = Number(raw);
  if (!/^[1-9]\d{0,15}$/.test(raw ?? '') || !Number.isSafeInteger(id)) throw notFound();
  return id;
}

/** 422 naming the field: the successor must be another, active, existing person. */
function successor(d: Db, field: string, email: string, leaver: Person): Person {
  const found = d.select({ id: users.id, email: users.email, name: users.name, admin: users.admin, active: users.active }).from(users)
    .where(eq(users.email, normalizeEmail(email))).get();
  const refuse = (why: string, coded: { code: string; email?: string }) => new DomainError(422, `${field}: ${why}`, { field, ...coded });
  if (!found) throw refuse(`no user "${email}"`, { code: 'noUser', email });
  if (!found.active) throw refuse(`${found.email} is inactive`, { code: 'successorInactive', email: found.email });
  if (found.id === leaver.id) throw refuse('the successor must be someone other than the person leaving', { code: 'successorIsLeaver' });
  return found;
}

interface Plan { leaver: Person; to: Person; heir: Record<HandoverKind, Person> }

/** Who gets what; every refusal happens here, before anything is written. */
function plan(d: Db, viewer: Viewer, id: number, input: HandoverInput): Plan {
  const leaver = d.select({ id: users.id, email: users.email, name: users.name, admin: users.admin }).from(users).where(eq(users.id, id)).get();
  if (!leaver) throw notFound();
  if (input.deactivate && id === viewer.id) throw new DomainError(422, 'deactivate: you cannot deactivate yourself', { field: 'deactivate', code: 'selfDemote' });
  const to = successor(d, 'to', input.to, leaver);
  const heir = Object.fromEntries(HANDOVER_KINDS.map((k) => {
    const email = input.successors?.[k];
    return [k, email === undefined ? to : successor(d, `successors.${k}`, email, leaver)];
  })) as Record<HandoverKind, Person>;
  return { leaver, to, heir };
}

/** What the confirmation step shows: the successor of each kind, and what the handover would change in access. */
export interface HandoverPreview { heirs: Record<HandoverKind, { email: string; name: string }>; access: AccessChange }

/** Thrown to roll the handover's transaction back once the preview is read from it. */
class Previewed {
  readonly preview: HandoverPreview;
  constructor(preview: HandoverPreview) { this.preview = preview; }
}

/**
 * The handover done and rolled back, so that the preview says exactly what it would do (refusing
 * exactly what it would refuse).
 */
export function previewHandover(viewer: Viewer | null, id: number, input: HandoverInput): HandoverPreview {
  assertSiteAdminOr404(viewer);
  try {
    write((tx) => {
      const { heir, result } = perform(tx, viewer, id, input);
      throw new Previewed({ heirs: Object.fromEntries(HANDOVER_KINDS.map((k) => [k, { email: heir[k].email, name: heir[k].name }])) as HandoverPreview['heirs'], access: result.access });
    });
  } catch (err) {
    if (err instanceof Previewed) return err.preview;
    throw err;
  }
  throw new Error('unreachable: the preview always rolls back');
}

export function handOver(viewer: Viewer | null, id: number, input: HandoverInput): HandoverResult {
  assertSiteAdminOr404(viewer);
  const result = write((tx) => perform(tx, viewer, id, input).result);
  wakeOutbox();
  return result;
}

function perform(tx: Db, viewer: Viewer, id: number, input: HandoverInput): { heir: Record<HandoverKind, Person>; result: HandoverResult } {
  const deactivate = input.deactivate === true;
  const { leaver, to, heir } = plan(tx, viewer, id, input);
  // A handover moves no space: one list, for the successors' roles before and after.
  const spaces = tx.$client.prepare('select id, key, visibility from spaces order by key').all() as NamedSpace[];
  const rolesBefore = heirRoles(heir, spaces);
  const received: Received = {
    requirements: moveRequirements(tx, viewer, leaver, heir.requirements),
    groups: moveGroups(tx, viewer, leaver.id, heir.groups.id),
    rules: tx.update(routingRules).set({ assigneeId: heir.rules.id }).where(eq(routingRules.assigneeId, leaver.id)).run().changes,
    projects: moveProjects(tx, viewer, leaver, heir.projects),
    spaces: moveSpaceAdmin(tx, leaver.id, heir.spaces.id),
    pages: recordPages(tx, viewer, leaver, heir.pages),
    watches: moveWatches(tx, leaver.id, heir.watches.id),
    webhooks: tx.update(webhooks).set({ createdBy: heir.webhooks.id }).where(eq(webhooks.createdBy, leaver.id)).run().changes,
  };
  const moved: Moved = {
    ...Object.fromEntries(HANDOVER_KINDS.map((k) => [k, typeof received[k] === 'number' ? received[k] : received[k].length])) as Record<HandoverKind, number>,
    tokensRevoked: tx.delete(apiTokens).where(eq(apiTokens.userId, leaver.id)).run().changes,
  };
  const access = accessChange(tx, heir, received, spaces, rolesBefore);
  noticeSuccessors(tx, viewer, leaver, bySuccessor(heir, received));
  if (deactivate) {
    tx.update(users).set({ active: false }).where(eq(users.id, leaver.id)).run();
    tx.delete(sessions).where(eq(sessions.userId, leaver.id)).run();
  }
  const successors = Object.fromEntries(HANDOVER_KINDS.filter((k) => heir[k].id !== to.id).map((k) => [k, heir[k].email]));
  appendAudit(tx, viewer, 'user.handover', leaver.email, null, { to: to.email, successors, deactivated: deactivate, moved, access });
  return { heir, result: { from: leaver.email, to: to.email, deactivated: deactivate, moved, access } };
}

const asViewer = (p: Person): Viewer => ({ id: p.id, email: p.email, name: p.name, admin: p.admin, locale: null });
type NamedSpace = SpaceRef & { key: string };

/** Each successor's role in every space (asked inside the transaction: the access module reads afresh there). */
function heirRoles(heir: Record<HandoverKind, Person>, spaces: NamedSpace[]): Map<number, Map<number, Role | null>> {
  return new Map([...new Set(Object.values(heir))].map((p) => [p.id, spaceRoles(asViewer(p), spaces)]));
}

function accessChange(tx: Db, heir: Record<HandoverKind, Person>, received: Received, spaces: NamedSpace[], before: Map<number, Map<number, Role | null>>): AccessChange {
  const gained: AccessChange['gained'] = [];
  for (const p of new Set(Object.values(heir))) {
    const now = spaceRoles(asViewer(p), spaces);
    for (const s of spaces) {
      const [was, is] = [before.get(p.id)!.get(s.id) ?? null, now.get(s.id) ?? null];
      if (is && (was === null || ROLES.indexOf(is) > ROLES.indexOf(was))) gained.push({ to: p.email, space: s.key, role: is });
    }
  }
  const unreadable: AccessChange['unreadable'] = [];
  const note = (to: Person, kind: AccessChange['unreadable'][number]['kind'], where: string[]) => {
    if (where.length) unreadable.push({ to: to.email, kind, count: where.length, in: [...new Set(where)].sort() });
  };
  const inSpace = (query: string, ids: number[], to: Person) => (tx.$client.prepare(query).all(JSON.stringify(ids)) as NamedSpace[])
    .filter((s) => !can(asViewer(to), 'read', s)).map((s) => s.key);
  note(heir.pages, 'pages', inSpace('select s.id, s.key, s.visibility from pages p join spaces s on s.id = p.space_id where p.id in (select value from json_each(?))', received.pages, heir.pages));
  note(heir.projects, 'projects', inSpace('select s.id, s.key, s.visibility from projects p join spaces s on s.id = p.space_id where p.id in (select value from json_each(?))', received.projects, heir.projects));
  const readable = readableRequirementIds(asViewer(heir.requirements), received.requirements);
  const hidden = received.requirements.filter((id) => !readable.has(id));
  note(heir.requirements, 'requirements', hidden.length ? (tx.$client.prepare('select p.key from requirements r join projects p on p.id = r.project_id where r.id in (select value from json_each(?))').pluck().all(JSON.stringify(hidden)) as string[]) : []);
  return { gained, unreadable };
}

/** Open requirements: reassigned, each with a `handed_over` event in its history; their ids. */
function moveRequirements(tx: Db, viewer: Viewer, from: Person, to: Person): number[] {
  const now = Date.now();
  const moved = tx.update(requirements)
    .set({ assigneeId: to.id, version: sql`${requirements.version} + 1`, updatedAt: now })
    .where(and(eq(requirements.assigneeId, from.id), isNull(requirements.closedAt))).returning().all();
  // History, not news: the successor is told once by whoever hands over, not 1,000 times by the inbox.
  for (const req of moved) recordEvent(tx, req, viewer.id, 'handed_over', { from: from.email, fromName: from.name, to: to.email, toName: to.name }, { announce: false });
  return moved.map((r) => r.id);
}

/**
 * Queue memberships: the successor joins each of the leaver's groups, the leaver leaves; each
 * group's new members go to the audit log, as when an admin sets them ('group.members').
 */
function moveGroups(tx: Db, viewer: Viewer, from: number, to: number): number {
  const held = tx.select({ id: groups.id, name: groups.name }).from(groupMembers).innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, from)).all();
  for (const group of held) {
    const before = groupMemberEmails(group.id);
    tx.insert(groupMembers).values({ groupId: group.id, userId: to }).onConflictDoNothing().run();
    tx.delete(groupMembers).where(and(eq(groupMembers.groupId, group.id), eq(groupMembers.userId, from))).run();
    appendAudit(tx, viewer, 'group.members', group.name, before, groupMemberEmails(group.id));
  }
  return held.length;
}

/** Space admin grants: the successor becomes admin of each (raising a lesser grant), the leaver's grant goes; the spaces' ids. */
function moveSpaceAdmin(tx: Db, from: number, to: number): number[] {
  const held = tx.select({ spaceId: grants.spaceId }).from(grants).where(and(eq(grants.userId, from), eq(grants.role, 'admin'))).all();
  for (const { spaceId } of held) {
    tx.insert(grants).values({ spaceId, userId: to, role: 'admin' })
      .onConflictDoUpdate({ target: [grants.spaceId, grants.userId], set: { role: 'admin' } }).run();
  }
  if (held.length) tx.delete(grants).where(and(eq(grants.userId, from), eq(grants.role, 'admin'))).run();
  return held.map((g) => g.spaceId);
}

/**
 * Pages the leaver owns become the successor's. A revision that changes nothing would be noise, so
 * the line for each page goes to the audit log ('page.handover', subject "space/path", with the
 * page's id), which the page's history shows beside its revisions (page-history.ts).
 */
function recordPages(tx: Db, viewer: Viewer, from: Person, to: Person): number[] {
  const owned = tx.$client.prepare(HELD.pagesOwned).all(from.id) as { id: number; space: string; path: string }[];
  tx.update(pages).set({ ownerId: to.id }).where(and(eq(pages.ownerId, from.id), isNull(pages.deletedAt))).run();
  for (const p of owned) appendAudit(tx, viewer, 'page.handover', `${p.space}/${p.path}`, { owner: from.email }, { owner: to.email }, p.id);
  return owned.map((p) => p.id);
}

/**
 * Projects the leaver owns become the successor's, each with a 'project.owner' line in the audit
 * log: the project overview draws its owners and their dates from these (overview.ts).
 */
function moveProjects(tx: Db, viewer: Viewer, from: Person, to: Person): number[] {
  const moved = tx.update(projects).set({ ownerId: to.id }).where(eq(projects.ownerId, from.id)).returning({ id: projects.id, key: projects.key }).all();
  for (const p of moved) appendAudit(tx, viewer, 'project.owner', p.key, { owner: from.email }, { owner: to.email });
  return moved.map((p) => p.id);
}

/** What each successor received (one successor may hold several kinds). */
function bySuccessor(heir: Record<HandoverKind, Person>, received: Received): Map<number, Received> {
  const none = (): Received => ({ requirements: [], pages: [], projects: [], spaces: [], groups: 0, rules: 0, watches: 0, webhooks: 0 });
  const out = new Map<number, Received>();
  for (const k of HANDOVER_KINDS) {
    const theirs = out.get(heir[k].id) ?? none();
    (theirs as Record<HandoverKind, unknown>)[k] = received[k];
    out.set(heir[k].id, theirs);
  }
  return out;
}

/** Requirement, page and space watches: the successor watches what the leaver watched. */
const WATCH_TABLES = [['watchers', 'requirement_id'], ['page_watches', 'page_id'], ['space_watches', 'space_id']] as const;

function moveWatches(tx: Db, from: number, to: number): number {
  let n = 0;
  for (const [table, column] of WATCH_TABLES) {
    tx.$client.prepare(`insert or ignore into ${table} (${column}, user_id) select ${column}, ? from ${table} where user_id = ?`).run(to, from);
    n += tx.$client.prepare(`delete from ${table} where user_id = ?`).run(from).changes;
  }
  return n;
}
