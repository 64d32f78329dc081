// Spaces: listing and lookup under the viewer's permissions, and creation for imports.
import { and, eq, isNull, sql } from 'drizzle-orm';
import { pages, spaces } from '../../../db/schema.ts';
import { assertCan, readableSpaceIds, type Viewer } from '../access/index.ts';
import { readCache } from '../db-cache.ts';
import { db, prepared, type Db } from '../db.ts';
import { badInput, notFound } from '../errors.ts';

export type Space = typeof spaces.$inferSelect;
export type SpaceKind = Space['kind'];
export const SPACE_KINDS: SpaceKind[] = ['guide', 'it', 'policy', 'project', 'general'];
/** Who may read a space: every signed-in user (`org`), or only those it is granted to. */
export const VISIBILITIES = ['org', 'restricted'] as const;
export type Visibility = (typeof VISIBILITIES)[number];
const SPACE_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function assertSpaceKey(key: string): string {
  if (!SPACE_KEY.test(key)) throw badInput('A space key is 1–64 characters of a–z, 0–9 and "-"', { code: 'spaceKey' });
  return key;
}

const spaceByKey = prepared((d) => d.select().from(spaces).where(eq(spaces.key, sql.placeholder('key'))).prepare());

// Remembered until the database changes (exact: see db-cache.ts); a page view looks its space up every time.
const spacesByKey = readCache<string, Space | undefined>();

export function findSpace(key: string): Space | undefined {
  return spacesByKey.get(key, () => freeze(spaceByKey().get({ key })));
}

const freeze = <T>(row: T): T => (row ? Object.freeze(row) : row);

export function listSpaces(viewer: Viewer | null): (Space & { pageCount: number })[] {
  const rows = db()
    .select({ space: spaces, pageCount: sql<number>`(select count(*) from pages p where p.space_id = spaces.id and p.deleted_at is null)` })
    .from(spaces)
    .orderBy(spaces.name)
    .all();
  const readable = new Set(readableSpaceIds(viewer));
  return rows.filter((r) => readable.has(r.space.id)).map((r) => ({ ...r.space, pageCount: r.pageCount }));
}

export function getSpace(viewer: Viewer | null, key: string): Space {
  const space = findSpace(key);
  if (!space) throw notFound();
  assertCan(viewer, 'read', space);
  return space;
}

export function spaceSummary(viewer: Viewer | null, key: string): Space & { pageCount: number } {
  const space = getSpace(viewer, key);
  const { n } = db().select({ n: sql<number>`count(*)` }).from(pages)
    .where(and(eq(pages.spaceId, space.id), isNull(pages.deletedAt))).get()!;
  return { ...space, pageCount: n };
}

/** A space's settings, checked (admin/spaces.ts validSpaceSettings): only those given. */
export type ValidSpaceSettings = Partial<Pick<Space, 'name' | 'kind' | 'visibility' | 'description' | 'searchWeight' | 'reference' | 'reviewIntervalDays'>>;
export type SpaceInput = { key: string } & ValidSpaceSettings;

/**
 * Creates the space, or changes only the settings given: used by imports, which run with the
 * operator's authority. A re-import whose _space.yaml says nothing of visibility leaves a space an
 * admin restricted restricted. Settings come checked (admin/spaces.ts validSpaceSettings).
 */
export function upsertSpace(tx: Db, input: SpaceInput): Space {
  const { key: given, ...settings } = input;
  const key = assertSpaceKey(given);
  const existing = tx.select().from(spaces).where(eq(spaces.key, key)).get();
  if (!existing) return tx.insert(spaces).values({ key, name: key, ...settings }).returning().get();
  return Object.keys(settings).length === 0 ? existing : tx.update(spaces).set(settings).where(eq(spaces.id, existing.id)).returning().get();
}
