// Which words of a changed line changed. Lines are cut into words with Intl.Segmenter, whose
// dictionary splits Chinese (no spaces) as well as English, so one changed word in a long Chinese
// paragraph is marked alone instead of the whole paragraph.
import { diffArrays } from 'diff';

export interface Segment { text: string; changed: boolean }
/** A line of one side of a comparison: changed (not on the other side) and, if paired, its changed words. */
export interface MarkedLine { text: string; changed: boolean; segments?: Segment[] }

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const words = (line: string) => Array.from(segmenter.segment(line), (s) => s.segment);

// Bounds that keep a huge rewrite cheap to show: beyond this many word edits two lines are
// different lines, not one edited line; longer runs of replaced lines, or blocks that differ in
// more lines, are shown as wholly changed, without marked words.
const MAX_WORD_EDITS = 400;
const MAX_PAIRED_RUN = 200;
const MAX_LINE_EDITS = 1000;

function push(out: Segment[], text: string, changed: boolean): void {
  const last = out.at(-1);
  if (last && last.changed === changed) last.text += text;
  else out.push({ text, changed });
}

/** The two lines as runs of unchanged and changed words; null when they share too little to be one edited line. */
export function wordDiff(before: string, after: string): { before: Segment[]; after: Segment[] } | null {
  const parts = diffArrays(words(before), words(after), { maxEditLength: MAX_WORD_EDITS });
  if (!parts) return null;
  const out = { before: [] as Segment[], after: [] as Segment[] };
  let shared = 0;
  for (const part of parts) {
    const text = part.value.join('');
    if (!part.added && !part.removed) shared += text.trim().length;
    if (!part.added) push(out.before, text, part.removed);
    if (!part.removed) push(out.after, text, part.added);
  }
  const longest = Math.max(before.trim().length, after.trim().length);
  return shared * 3 >= longest ? out : null;
}

/** Removed lines replaced by added ones, paired in order: each pair gets its changed words. */
export function pairChangedLines(removed: string[], added: string[]): { removed: MarkedLine[]; added: MarkedLine[] } {
  const out = {
    removed: removed.map((text): MarkedLine => ({ text, changed: true })),
    added: added.map((text): MarkedLine => ({ text, changed: true })),
  };
  if (removed.length > MAX_PAIRED_RUN || added.length > MAX_PAIRED_RUN) return out;
  for (let i = 0; i < Math.min(removed.length, added.length); i++) {
    const words = wordDiff(removed[i]!, added[i]!);
    if (words) [out.removed[i]!.segments, out.added[i]!.segments] = [words.before, words.after];
  }
  return out;
}

/** Two blocks of lines side by side: lines both have are unchanged, the others changed with their changed words. */
export function compareLines(a: string[], b: string[]): { a: MarkedLine[]; b: MarkedLine[] } {
  const out = { a: [] as MarkedLine[], b: [] as MarkedLine[] };
  let removed: string[] = [];
  const flush = (added: string[]) => {
    const paired = pairChangedLines(removed, added);
    out.a.push(...paired.removed);
    out.b.push(...paired.added);
    removed = [];
  };
  const parts = diffArrays(a, b, { maxEditLength: MAX_LINE_EDITS }) ?? [{ removed: true, added: false, value: a }, { removed: false, added: true, value: b }];
  for (const part of parts) {
    if (part.removed) removed = part.value;
    else if (part.added) flush(part.value);
    else {
      flush([]);
      for (const text of part.value) { out.a.push({ text, changed: false }); out.b.push({ text, changed: false }); }
    }
  }
  flush([]);
  return out;
}
