// Three-way merge of a stale save with the page as it is now, against the revision both started from.
// Markdown merges line by line (diff3): changes to different lines merge, changes that touch the
// same or adjacent lines conflict. Title and tags merge as values and sets.
//
// Why not node-diff3: its LCS slows down sharply on repeated lines, and every Markdown page repeats
// the blank line: a 2,000-line page took 9 s, a 4,000-line one over 45 s, on the server's only
// thread. The two-way diffs here are Myers' (the `diff` package, O((N+M)·D), bounded), grouped
// into diff3 regions as node-diff3 and GNU diff3 do.
import { diffArrays } from 'diff';

/** A run of merged lines, or a block both sides changed: ours (the stale save), theirs (the current revision). */
export type MergeBlock =
  | { kind: 'ok'; lines: string[] }
  | { kind: 'conflict'; ours: string[]; base: string[]; theirs: string[] };

export interface TextMerge { clean: boolean; blocks: MergeBlock[] }

/** Base lines [start, end) replaced by `lines` on one side. */
interface Hunk { start: number; end: number; lines: string[] }

// Beyond this many changed lines a side counts as rewritten as a whole (and diffing stays cheap).
const MAX_LINE_EDITS = 1000;

function hunks(base: string[], side: string[]): Hunk[] {
  const parts = diffArrays(base, side, { maxEditLength: MAX_LINE_EDITS });
  if (!parts) return [{ start: 0, end: base.length, lines: side }];
  const out: Hunk[] = [];
  let at = 0;
  for (const part of parts) {
    const last = out.at(-1);
    const open = last && last.end === at && (part.added || part.removed) ? last : undefined;
    if (!part.added && !part.removed) { at += part.value.length; continue; }
    const hunk = open ?? (out.push({ start: at, end: at, lines: [] }), out.at(-1)!);
    if (part.removed) { at += part.value.length; hunk.end = at; } else hunk.lines.push(...part.value);
  }
  return out;
}

/** One side's text of base lines [start, end) with its hunks there applied. */
function sideText(base: string[], start: number, end: number, own: Hunk[]): string[] {
  const out: string[] = [];
  let at = start;
  for (const h of own) { out.push(...base.slice(at, h.start), ...h.lines); at = h.end; }
  return [...out, ...base.slice(at, end)];
}

export function mergeMarkdown(base: string, ours: string, theirs: string): TextMerge {
  const o = base.split('\n');
  const tagged = [
    ...hunks(o, ours.split('\n')).map((h) => ({ ...h, side: 'ours' as const })),
    ...hunks(o, theirs.split('\n')).map((h) => ({ ...h, side: 'theirs' as const })),
  ].sort((x, y) => x.start - y.start || x.end - y.end);
  const blocks: MergeBlock[] = [];
  const ok = (lines: string[]) => {
    const last = blocks.at(-1);
    if (last?.kind === 'ok') last.lines.push(...lines);
    else if (lines.length) blocks.push({ kind: 'ok', lines });
  };
  let at = 0;
  for (let i = 0; i < tagged.length;) {
    // A region: hunks that overlap or touch, from either side.
    const start = tagged[i]!.start;
    let end = tagged[i]!.end;
    const group = [tagged[i++]!];
    while (i < tagged.length && tagged[i]!.start <= end) { end = Math.max(end, tagged[i]!.end); group.push(tagged[i++]!); }
    ok(o.slice(at, start));
    const mine = sideText(o, start, end, group.filter((h) => h.side === 'ours'));
    const yours = sideText(o, start, end, group.filter((h) => h.side === 'theirs'));
    const oneSide = group.every((h) => h.side === group[0]!.side);
    if (oneSide) ok(group[0]!.side === 'ours' ? mine : yours);
    else if (mine.join('\n') === yours.join('\n')) ok(mine); // both made the same change
    else blocks.push({ kind: 'conflict', ours: mine, base: o.slice(start, end), theirs: yours });
    at = end;
  }
  ok(o.slice(at));
  return { clean: blocks.every((b) => b.kind === 'ok'), blocks };
}

/** The merged text with one side in every conflicting block (ours: where resolving a conflict starts from). */
export function mergedText(blocks: MergeBlock[], side: 'ours' | 'theirs' = 'ours'): string {
  return blocks.flatMap((b) => (b.kind === 'ok' ? b.lines : b[side])).join('\n');
}

/** A value one side changed takes that side; both changed it differently → undefined (a conflict). */
export function mergeValue<T>(base: T, ours: T, theirs: T, same = (a: T, b: T) => a === b): T | undefined {
  if (same(ours, base) || same(ours, theirs)) return theirs;
  if (same(theirs, base)) return ours;
  return undefined;
}

/** Tags as sets: the current tags, less those we removed, plus those we added. Never conflicts. */
export function mergeTags(base: string[], ours: string[], theirs: string[]): string[] {
  const removed = new Set(base.filter((t) => !ours.includes(t)));
  const added = ours.filter((t) => !base.includes(t));
  return [...new Set([...theirs.filter((t) => !removed.has(t)), ...added])];
}
