// A readable line diff (hunks with old and new line numbers) of two Markdown texts: page
// revisions and requirement descriptions are shown the same way. A removed line replaced by an
// added one carries its changed words (`segments`).
import { structuredPatch } from 'diff';
import { pairChangedLines, type Segment } from './word-diff.ts';

export interface DiffLine { kind: 'add' | 'del' | 'same'; oldNo: number | null; newNo: number | null; text: string; segments?: Segment[] }
export interface DiffHunk { header: string; lines: DiffLine[] }
export interface LineDiff { hunks: DiffHunk[]; added: number; removed: number }

// Both texts end with a newline, so an appended paragraph does not show the old last line as changed.
const withEol = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

export function lineDiff(before: string, after: string, context = 3): LineDiff {
  const patch = structuredPatch('a', 'b', withEol(before), withEol(after), '', '', { context });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((h) => {
    let oldNo = h.oldStart;
    let newNo = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const sign = raw[0];
      const text = raw.slice(1);
      if (sign === '\\') continue; // "\ No newline at end of file"
      if (sign === '+') { lines.push({ kind: 'add', oldNo: null, newNo: newNo++, text }); added++; }
      else if (sign === '-') { lines.push({ kind: 'del', oldNo: oldNo++, newNo: null, text }); removed++; }
      else lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
    }
    markChangedWords(lines);
    return { header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines };
  });
  return { hunks, added, removed };
}

/** Each run of removed lines followed by added lines: the lines paired in order, with their changed words. */
function markChangedWords(lines: DiffLine[]): void {
  for (let i = 0; i < lines.length;) {
    let j = i;
    while (lines[j]?.kind === 'del') j++;
    let k = j;
    while (lines[k]?.kind === 'add') k++;
    if (j > i && k > j) {
      const paired = pairChangedLines(lines.slice(i, j).map((l) => l.text), lines.slice(j, k).map((l) => l.text));
      paired.removed.forEach((m, n) => { lines[i + n]!.segments = m.segments; });
      paired.added.forEach((m, n) => { lines[j + n]!.segments = m.segments; });
    }
    i = Math.max(k, i + 1);
  }
}
