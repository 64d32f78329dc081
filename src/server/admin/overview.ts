// The admin home: how many of each thing there is. Site admins only.
import { sql } from 'drizzle-orm';
import { auditLog, groups, spaces, users } from '../../../db/schema.ts';
import { assertSiteAdmin, type Viewer } from '../access/index.ts';
import { db } from '../db.ts';

export function adminOverview(viewer: Viewer | null): { users: number; groups: number; spaces: number; audit: number } {
  assertSiteAdmin(viewer);
  const count = (table: typeof users | typeof groups | typeof spaces | typeof auditLog) => db().select({ n: sql<number>`count(*)` }).from(table).get()!.n;
  return { users: count(users), groups: count(groups), spaces: count(spaces), audit: count(auditLog) };
}
