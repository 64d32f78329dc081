// What a dashboard is asked for: the period (weeks, or from/to) and the filters, read from URL
// parameters or from a chart block's YAML alike. Anything unknown or out of bounds is a 400 that
// says what is allowed, before any SQL runs.
import { badInput } from '../errors.ts';
import { oneOf } from '../params.ts';

export const MAX_WEEKS = 104;
const MAX_DAYS = MAX_WEEKS * 7;
const MAX_LIST = 20;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const FILTER_NAMES = ['category', 'tag', 'assignee', 'group', 'priority'] as const;
export const QUERY_NAMES = ['weeks', 'from', 'to', ...FILTER_NAMES] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

export interface DashboardFilters {
  category?: string[]; tag?: string; assignee?: string; group?: string; priority?: string[];
}
export interface DashboardRange {
  /** Inclusive UTC dates (YYYY-MM-DD). */
  from: string; to: string;
  /** Monday of every week the period touches, oldest first. */
  weeks: string[];
  /** Set by from/to (then it also limits the "open now" figures to items created in it). */
  explicit: boolean;
}
export interface DashboardQuery { range: DashboardRange; filters: DashboardFilters }

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY = 86_400_000;

export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);
/** Monday of the week holding `date` (weeks run Monday to Sunday, UTC). */
export function mondayOf(date: string): string {
  const t = ms(date);
  return dayOf(t - ((new Date(t).getUTCDay() + 6) % 7) * DAY);
}

function date(name: string, value: string): string {
  if (!DATE.test(value) || Number.isNaN(ms(value)) || dayOf(ms(value)) !== value) throw badInput(`${name}: a date as YYYY-MM-DD`, { code: 'periodDate' });
  return value;
}

function list(name: string, value: string): string[] {
  const items = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (items.length > MAX_LIST) throw badInput(`${name}: at most ${MAX_LIST} values`);
  return items;
}

/**
 * The query from name → value pairs. `today` fixes "now" (tests); the default period is the
 * last 12 weeks including this one.
 */
export function parseDashboardQuery(input: Iterable<[string, string]>, today = dayOf(Date.now())): DashboardQuery {
  const given = new Map<string, string>();
  for (const [name, raw] of input) {
    if (!(QUERY_NAMES as readonly string[]).includes(name)) {
      throw badInput(`Unknown dashboard parameter ${JSON.stringify(name.slice(0, 40))}; known: ${QUERY_NAMES.join(', ')}`);
    }
    const value = String(raw).trim();
    if (value.length > 200) throw badInput(`${name}: at most 200 characters`);
    if (value) given.set(name, value);
  }
  const filters: DashboardFilters = {};
  if (given.has('category')) filters.category = list('category', given.get('category')!);
  if (given.has('priority')) filters.priority = list('priority', given.get('priority')!).map((p) => oneOf('priority', p, PRIORITIES));
  for (const name of ['tag', 'assignee', 'group'] as const) if (given.has(name)) filters[name] = given.get(name)!;

  let weeks = 12;
  if (given.has('weeks')) {
    weeks = Number(given.get('weeks'));
    if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) throw badInput(`weeks: a whole number from 1 to ${MAX_WEEKS}`);
  }
  const explicit = given.has('from') || given.has('to');
  const to = given.has('to') ? date('to', given.get('to')!) : today;
  const from = given.has('from') ? date('from', given.get('from')!) : dayOf(ms(mondayOf(to)) - (weeks - 1) * 7 * DAY);
  if (from > to) throw badInput('from: must not be after to', { code: 'periodOrder' });
  if ((ms(to) - ms(from)) / DAY >= MAX_DAYS) throw badInput(`The period is at most ${MAX_WEEKS} weeks (from ${from} to ${to} is longer)`, { code: 'periodTooLong', max: MAX_WEEKS });
  const mondays: string[] = [];
  for (let t = ms(mondayOf(from)); t <= ms(to); t += 7 * DAY) mondays.push(dayOf(t));
  return { range: { from, to, weeks: mondays, explicit }, filters };
}

/** The period as milliseconds: [start, end). */
export function rangeMs(range: DashboardRange): { start: number; end: number } {
  return { start: ms(range.from), end: ms(range.to) + DAY };
}

/** Only the dashboard's own parameters, for links that carry the same query (CSV downloads). */
export function querySearch(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [name, value] of params) if ((QUERY_NAMES as readonly string[]).includes(name) && value.trim()) out.set(name, value.trim());
  const s = out.toString();
  return s ? `?${s}` : '';
}
