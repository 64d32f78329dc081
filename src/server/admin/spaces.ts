// Creating spaces (site admins) and changing their settings (space admins too), audited.
import { eq, sql } from 'drizzle-orm';
import { spaces } from '../../../db/schema.ts';
import { assertCan, assertSiteAdmin, type Viewer } from '../access/index.ts';
import { db, write } from '../db.ts';
import { badInput, conflict, DomainError } from '../errors.ts';
import { MAX_REVIEW_INTERVAL_DAYS } from '../pages/ownership.ts';
import { assertSpaceKey, getSpace, SPACE_KINDS, VISIBILITIES, type Space, type SpaceKind, type ValidSpaceSettings, type Visibility } from '../spaces/spaces.ts';
import { applyArchived, assertArchivedFlag } from '../archive/archive.ts';
import { wakeOutbox } from '../outbox.ts';
import { appendAudit } from './audit.ts';

export interface SpaceSettings { name?: string; kind?: string; visibility?: string; description?: string; searchWeight?: number; reference?: boolean; reviewIntervalDays?: number | null }

export const SEARCH_WEIGHT_MIN = 0.5;
export const SEARCH_WEIGHT_MAX = 2;

/** The settings given, checked (400 naming the first bad one); the settings not given stay out. */
export function validSpaceSettings(input: SpaceSettings): ValidSpaceSettings {
  const out: ValidSpaceSettings = {};
  if (input.name !== undefined) {
    const name = input.name.normalize('NFC').trim();
    if (!name || name.length > 120 || /[\u0000-\u001f]/.test(name)) throw badInput('A space name is 1–120 characters without control characters', { code: 'spaceName' });
    out.name = name;
  }
  if (input.kind !== undefined) {
    if (!SPACE_KINDS.includes(input.kind as SpaceKind)) throw badInput(`kind is one of ${SPACE_KINDS.join(', ')}`);
    out.kind = input.kind as SpaceKind;
  }
  if (input.visibility !== undefined) {
    if (!(VISIBILITIES as readonly string[]).includes(input.visibility)) throw badInput('visibility is org or restricted');
    out.visibility = input.visibility as Visibility;
  }
  if (input.description !== undefined) {
    if (input.description.length > 2000) throw badInput('A description is at most 2000 characters', { code: 'spaceDescriptionTooLong' });
    out.description = input.description.trim();
  }
  if (input.searchWeight !== undefined) {
    const w = input.searchWeight;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < SEARCH_WEIGHT_MIN || w > SEARCH_WEIGHT_MAX) {
      throw badInput(`searchWeight is a number from ${SEARCH_WEIGHT_MIN} to ${SEARCH_WEIGHT_MAX} (1 is neutral)`, { code: 'searchWeight', min: SEARCH_WEIGHT_MIN, max: SEARCH_WEIGHT_MAX });
    }
    out.searchWeight = Math.round(w * 100) / 100;
  }
  if (input.reference !== undefined) {
    if (typeof input.reference !== 'boolean') throw badInput('reference is true or false');
    out.reference = input.reference;
  }
  if (input.reviewIntervalDays !== undefined) {
    const days = input.reviewIntervalDays;
    if (days !== null && (!Number.isSafeInteger(days) || days < 1 || days > MAX_REVIEW_INTERVAL_DAYS)) {
      throw new DomainError(422, `reviewIntervalDays: a whole number of days from 1 to ${MAX_REVIEW_INTERVAL_DAYS}, or null for none`, { field: 'reviewIntervalDays', code: 'reviewInterval', max: MAX_REVIEW_INTERVAL_DAYS });
    }
    out.reviewIntervalDays = days;
  }
  return out;
}

export function createSpace(viewer: Viewer | null, input: SpaceSettings & { key: string }): Space {
  assertSiteAdmin(viewer);
  const key = assertSpaceKey(input.key);
  const settings = validSpaceSettings({ ...input, name: input.name ?? key });
  return write((tx) => {
    if (tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.key, key)).get()) throw conflict(`A space "${key}" already exists`, { code: 'spaceExists', key });
    const space = tx.insert(spaces).values({ key, name: key, ...settings }).returning().get();
    appendAudit(tx, viewer!, 'space.create', key, null, { name: space.name, kind: space.kind, visibility: space.visibility, description: space.description });
    return space;
  });
}

/** Changes a space's settings and, with `archived`, (un)archives it (see archive/archive.ts). */
export function updateSpace(viewer: Viewer | null, key: string, input: SpaceSettings & { archived?: boolean }): Space {
  const space = getSpace(viewer, key);
  assertCan(viewer, 'manage', space);
  const changes = validSpaceSettings(input);
  const archived = input.archived === undefined ? undefined : assertArchivedFlag(input.archived);
  const changing = Object.keys(changes).length > 0;
  // Settings are a write, refused while the space stays archived; the flag alone is not.
  if (changing) assertCan(viewer, 'admin', { ...space, archived: space.archived && archived !== false });
  const updated = write((tx) => {
    if (archived !== undefined) applyArchived(tx, viewer!, space, archived);
    if (!changing) return { ...space, archived: archived ?? space.archived };
    const row = tx.update(spaces).set(changes).where(eq(spaces.id, space.id)).returning().get();
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, space[k as keyof typeof changes]]));
    appendAudit(tx, viewer!, 'space.update', key, before, changes);
    return row;
  });
  wakeOutbox();
  return updated;
}

/** Every space, archived or restricted too, with how many grants it has: the site admin's overview. */
export function listAllSpaces(viewer: Viewer | null): (Space & { grantCount: number })[] {
  assertSiteAdmin(viewer);
  return db().select({ space: spaces, grantCount: sql<number>`(select count(*) from grants g where g.space_id = spaces.id)` })
    .from(spaces).orderBy(spaces.key).all().map((r) => ({ ...r.space, grantCount: r.grantCount }));
}
