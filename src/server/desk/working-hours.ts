// Adding hours on a clock. "calendar" counts every hour; "working" counts only Monday–Friday
// 09:00–18:00 in the site's time zone (DOSSIER_TIMEZONE, an IANA name such as Asia/Shanghai;
// UTC when unset or unknown). No holidays: keep it simple and predictable.
export type Clock = 'calendar' | 'working';

const HOUR = 3_600_000;
export const WORK_START = 9;
export const WORK_END = 18;

export function siteTimeZone(): string {
  const zone = process.env.DOSSIER_TIMEZONE?.trim() || 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}

interface Wall { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(ms: number, zone: string): Wall {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  const weekday = new Date(Date.UTC(p.year!, p.month! - 1, p.day!)).getUTCDay();
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second!, weekday };
}

/** The instant of a wall-clock time in `zone` (two passes settle the offset across a DST change). */
function instant(year: number, month: number, day: number, hour: number, zone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, hour);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(guess, zone);
    const offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - guess;
    guess = asUtc - offset;
  }
  return guess;
}

/** The next working day's start strictly after the local day of `w`. */
function nextDayStart(w: Wall, zone: string): number {
  const next = new Date(Date.UTC(w.year, w.month - 1, w.day + 1));
  return instant(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), WORK_START, zone);
}

/** `start` plus `hours` on the given clock. */
export function addHours(start: number, hours: number, clock: Clock, zone = siteTimeZone()): number {
  let remaining = Math.round(hours * HOUR);
  if (clock === 'calendar') return start + remaining;
  let t = start;
  for (;;) {
    const w = wallClock(t, zone);
    if (w.weekday === 0 || w.weekday === 6 || w.hour >= WORK_END) { t = nextDayStart(w, zone); continue; }
    if (w.hour < WORK_START) { t = instant(w.year, w.month, w.day, WORK_START, zone); continue; }
    const end = instant(w.year, w.month, w.day, WORK_END, zone);
    if (remaining <= end - t) return t + remaining;
    remaining -= end - t;
    t = nextDayStart(w, zone);
  }
}
