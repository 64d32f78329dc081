// The line diff of a description edit, in the shape the page history's DiffView shows
// (src/server/pages/history.ts does the same for page revisions).
import { structuredPatch } from 'diff';
import type { DiffLine, RevisionDiff } from '../pages/history.ts';

export function descriptionDiff(before: string, after: string): RevisionDiff {
  // Both texts end with a newline, so an appended paragraph does not show the old last line as changed.
  const eol = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
  const patch = structuredPatch('before', 'after', eol(before), eol(after), '', '', { context: 2 });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((h) => {
    let oldNo = h.oldStart;
    let newNo = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const sign = raw[0];
      const text = raw.slice(1);
      if (sign === '\\') continue;
      if (sign === '+') { lines.push({ kind: 'add', oldNo: null, newNo: newNo++, text }); added++; }
      else if (sign === '-') { lines.push({ kind: 'del', oldNo: oldNo++, newNo: null, text }); removed++; }
      else lines.push({ kind: 'same', oldNo: oldNo++, newNo: newNo++, text });
    }
    return { header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines };
  });
  return { from: 0, to: 0, titleFrom: '', titleTo: '', hunks, added, removed };
}
