// Three-way merge of a stale save with the page as it is now, against the revision both started from.
// Markdown merges line by line (diff3): changes to different lines merge, changes that touch the
// same or adjacent lines conflict. Title and tags merge as values and sets.
import { diff3Merge } from 'node-diff3';

/** A run of merged lines, or a block both sides changed: ours (the stale save), theirs (the current revision). */
export type MergeBlock =
  | { kind: 'ok'; lines: string[] }
  | { kind: 'conflict'; ours: string[]; base: string[]; theirs: string[] };

export interface TextMerge { clean: boolean; blocks: MergeBlock[] }

export function mergeMarkdown(base: string, ours: string, theirs: string): TextMerge {
  const blocks: MergeBlock[] = diff3Merge(ours.split('\n'), base.split('\n'), theirs.split('\n')).map((r) => r.conflict
    ? { kind: 'conflict', ours: r.conflict.a, base: r.conflict.o, theirs: r.conflict.b }
    : { kind: 'ok', lines: r.ok ?? [] });
  return { clean: blocks.every((b) => b.kind === 'ok'), blocks };
}

/** The merged text with our side in every conflicting block: where resolving a conflict starts from. */
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
