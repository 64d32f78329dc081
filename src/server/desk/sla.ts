// Service levels per category × priority: how soon someone other than the reporter must first
// respond, and how soon the requirement must be resolved, on the calendar or working-hours clock.
// Submission turns them into deadlines (requirements.respond_by / resolve_by, `due` = the resolve
// date); the first comment or move by someone other than the reporter sets first_response_at.
import { and, eq, isNull, ne, or } from 'drizzle-orm';
import { requirements } from '../../../db/schema.ts';
import type { Db } from '../db.ts';
import { DomainError } from '../errors.ts';
import { PRIORITIES, type Priority } from '../requirements/fields.ts';
import { addHours, siteTimeZone, type Clock } from './working-hours.ts';

export interface SlaTarget { firstResponseHours: number; resolveHours: number; clock: Clock }
export type SlaConfig = Record<string, Partial<Record<Priority, SlaTarget>>>;

/** A year: the longest promise worth writing down. */
export const MAX_SLA_HOURS = 8760;
const CLOCKS: Clock[] = ['calendar', 'working'];
const unprocessable = (message: string) => new DomainError(422, message);

function hours(where: string, field: string, raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) throw unprocessable(`${where}: ${field} must be a number of hours`);
  if (raw <= 0) throw unprocessable(`${where}: ${field} must be more than 0 hours`);
  if (raw > MAX_SLA_HOURS) throw unprocessable(`${where}: ${field} is at most ${MAX_SLA_HOURS} hours (a year)`);
  return raw;
}

/** Validates `{category: {priority: {firstResponseHours, resolveHours, clock}}}` against the project's categories (422 on anything wrong). */
export function validateSla(input: unknown, categories: string[]): SlaConfig {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(input)) throw unprocessable('Send the SLA as {"issue": {"urgent": {"firstResponseHours": 4, "resolveHours": 24, "clock": "working"}}}');
  const out: SlaConfig = {};
  for (const [category, byPriority] of Object.entries(input)) {
    if (!categories.includes(category)) throw unprocessable(`No category "${category.slice(0, 40)}" in this project`);
    if (!isObject(byPriority)) throw unprocessable(`${category}: give an object by priority (${PRIORITIES.join(', ')})`);
    out[category] = {};
    for (const [priority, target] of Object.entries(byPriority)) {
      const where = `${category} × ${priority.slice(0, 20)}`;
      if (!PRIORITIES.includes(priority as Priority)) throw unprocessable(`${where}: priority is one of ${PRIORITIES.join(', ')}`);
      if (!isObject(target)) throw unprocessable(`${where}: give {firstResponseHours, resolveHours, clock}`);
      const firstResponseHours = hours(where, 'firstResponseHours', target.firstResponseHours);
      const resolveHours = hours(where, 'resolveHours', target.resolveHours);
      if (firstResponseHours > resolveHours) throw unprocessable(`${where}: the first response cannot be due after the resolution`);
      const clock = target.clock ?? 'calendar';
      if (!CLOCKS.includes(clock as Clock)) throw unprocessable(`${where}: clock is "calendar" or "working"`);
      out[category][priority as Priority] = { firstResponseHours, resolveHours, clock: clock as Clock };
    }
  }
  return out;
}

export interface Deadlines { respondBy: number; resolveBy: number; due: string }

/** The deadlines of a requirement submitted at `at`, or null when its category × priority has no SLA. */
export function deadlinesFor(sla: SlaConfig, category: string, priority: Priority, at: number): Deadlines | null {
  const target = sla[category]?.[priority];
  if (!target) return null;
  const zone = siteTimeZone();
  const resolveBy = addHours(at, target.resolveHours, target.clock, zone);
  // The due date is the resolve deadline's calendar date where the desk works.
  const due = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(resolveBy);
  return { respondBy: addHours(at, target.firstResponseHours, target.clock, zone), resolveBy, due };
}

/** Records the first response (a comment or move by someone other than the reporter), once. */
export function markFirstResponse(tx: Db, requirementId: number, actorId: number, at = Date.now()): void {
  tx.update(requirements).set({ firstResponseAt: at })
    .where(and(eq(requirements.id, requirementId), isNull(requirements.firstResponseAt), or(isNull(requirements.reporterId), ne(requirements.reporterId, actorId)))).run();
}
