// The overview's activity as it is read: a run of like events made at once (an import mentions
// forty requirements in one second, a bulk move changes twenty) is one line naming them all,
// rather than a screen of near-identical lines that pushes everything else out of sight.
import type { ActivityItem } from './overview.ts';

type RequirementItem = Extract<ActivityItem, { kind: 'requirement' }>;
type PageItem = Extract<ActivityItem, { kind: 'page' }>;

export type ActivityLine =
  | ActivityItem
  /** Requirements that had the same event from the same person within a minute, newest first, each once. */
  | { kind: 'requirements'; at: string; actor: ActivityItem['actor']; event: RequirementItem['event']; requirements: { key: string; title: string }[] }
  /** New pages (first revisions without a message) saved by the same person within a minute, each once. */
  | { kind: 'pages'; at: string; actor: ActivityItem['actor']; pages: { space: string; path: string; title: string }[] };

/** Fewer like events than this stay lines of their own. */
export const RUN_MIN = 3;
const RUN_SPAN_MS = 60_000;

/** What makes two items alike, or null for an item that always stands alone. */
function likeness(a: ActivityItem): string | null {
  const who = a.actor?.email ?? '';
  if (a.kind === 'requirement') return `requirement ${a.event} ${who}`;
  if (a.kind === 'page' && a.revision === 1 && !a.message) return `page ${who}`;
  return null;
}

/** The items (newest first) with each run of at least RUN_MIN like items within a minute made one line. */
export function activityLines(items: readonly ActivityItem[]): ActivityLine[] {
  const lines: ActivityLine[] = [];
  for (let i = 0; i < items.length;) {
    const first = items[i]!;
    const like = likeness(first);
    let end = i + 1;
    const startedAt = Date.parse(first.at);
    while (like !== null && end < items.length && likeness(items[end]!) === like && startedAt - Date.parse(items[end]!.at) <= RUN_SPAN_MS) end++;
    const run = items.slice(i, end);
    i = end;
    if (run.length < RUN_MIN) {
      lines.push(...run);
      continue;
    }
    if (first.kind === 'requirement') {
      const requirements = uniqueBy(run as RequirementItem[], (r) => r.key).map(({ key, title }) => ({ key, title }));
      lines.push({ kind: 'requirements', at: first.at, actor: first.actor, event: first.event, requirements });
    } else {
      const pages = uniqueBy(run as PageItem[], (p) => `${p.space}/${p.path}`).map(({ space, path, title }) => ({ space, path, title }));
      lines.push({ kind: 'pages', at: first.at, actor: first.actor, pages });
    }
  }
  return lines;
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && Boolean(seen.add(key(item))));
}
