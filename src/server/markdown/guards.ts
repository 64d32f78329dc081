// Linear pre-pass over the Markdown source that defuses inputs micromark and the tree utilities
// handle badly: very deep container nesting (recursion depth; list parsing grows with the cube of
// indentation depth) and table rows with huge numbers of cells (~10 µs per cell in
// micromark-extension-gfm-table).
// Only pathological lines are touched, and in ways that leave rendering as the spec says or
// close to it.

/** Container markers (`>`, list bullets) honoured at the start of one line. */
export const MAX_CONTAINER_DEPTH = 32;
/** Deeper leading indentation is cut to this many columns (≈ 32 levels of nested lists). */
export const MAX_INDENT = 64;
/** Rows with more unescaped pipes than this are cut to the table's own column count. */
const ROW_PIPE_LIMIT = 256;
/** Wider delimiter rows are broken, so the "table" renders as a paragraph. */
export const MAX_TABLE_COLUMNS = 256;

const FENCE = /^(`{3,}|~{3,})/;
const THEMATIC_BREAK = /^([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

interface Fence { char: string; length: number }

export function guardSource(source: string): string {
  const lines = source.split('\n');
  let changed = false;
  let fence: Fence | null = null;
  let tableColumns = 0; // > 0 while inside a table body
  let previousNonBlank = false;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bodyStart = containerPrefixEnd(line);
    const body = line.slice(bodyStart);

    if (fence) {
      const close = FENCE.exec(body.trimStart());
      if (close && close[1]![0] === fence.char && close[1]!.length >= fence.length && body.trim() === close[1]) fence = null;
      continue;
    }
    const open = FENCE.exec(body.trimStart());
    if (open) {
      fence = { char: open[1]![0]!, length: open[1]!.length };
      tableColumns = 0;
      previousNonBlank = false;
      continue;
    }
    if (body.trim() === '') {
      tableColumns = 0;
      previousNonBlank = false;
      continue;
    }

    let next = limitNesting(limitIndent(line));
    if (tableColumns > 0) {
      next = limitRow(next, tableColumns);
    } else if (previousNonBlank) {
      const columns = delimiterColumns(body);
      if (columns > MAX_TABLE_COLUMNS) next = line.slice(0, bodyStart) + body.replace('|', '\\|');
      else if (columns > 0) tableColumns = columns;
    }
    previousNonBlank = true;
    if (next !== line) {
      lines[i] = next;
      changed = true;
    }
  }
  return changed ? lines.join('\n') : source;
}

function limitIndent(line: string): string {
  let column = 0;
  let i = 0;
  for (; i < line.length && (line[i] === ' ' || line[i] === '\t'); i++) {
    column += line[i] === '\t' ? 4 - (column % 4) : 1;
  }
  return column > MAX_INDENT ? ' '.repeat(MAX_INDENT) + line.slice(i) : line;
}

/** End of the leading run of `>` markers and whitespace (where fences and tables start). */
function containerPrefixEnd(line: string): number {
  let i = 0;
  while (i < line.length && (line[i] === '>' || line[i] === ' ' || line[i] === '\t')) i++;
  return i;
}

/**
 * Escapes the first container marker past MAX_CONTAINER_DEPTH on a line; the rest of the line
 * then reads as paragraph text. `\>` and `\-` render as the bare characters.
 */
function limitNesting(line: string): string {
  let depth = 0;
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    let markerEnd = -1;
    if (c === '>') markerEnd = i + 1;
    else if ((c === '-' || c === '+' || c === '*') && isBlankOrSpace(line, i + 1)) markerEnd = i + 1;
    else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < line.length && j - i < 9 && line[j]! >= '0' && line[j]! <= '9') j++;
      if ((line[j] === '.' || line[j] === ')') && isBlankOrSpace(line, j + 1)) markerEnd = j + 1;
    }
    if (markerEnd < 0) break;
    if (++depth > MAX_CONTAINER_DEPTH) {
      // A run of `- - - -` is a thematic break, not nesting: leave it.
      if (THEMATIC_BREAK.test(line.slice(i).trimEnd())) return line;
      const at = c >= '0' && c <= '9' ? markerEnd - 1 : i;
      return line.slice(0, at) + '\\' + line.slice(at);
    }
    i = markerEnd;
  }
  return line;
}

function isBlankOrSpace(line: string, i: number): boolean {
  return i >= line.length || line[i] === ' ' || line[i] === '\t';
}

/** Cells after the table's column count are dropped by GFM anyway: cut them before parsing. */
function limitRow(line: string, columns: number): string {
  let pipes = 0;
  let cut = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '|' && ++pipes === columns + 1) cut = i + 1;
  }
  return pipes > ROW_PIPE_LIMIT && pipes > columns + 1 && cut > 0 ? line.slice(0, cut) : line;
}

/** Number of cells if `body` is a GFM delimiter row (`| --- | :-: |`), else 0. */
function delimiterColumns(body: string): number {
  let text = body.trim();
  if (!text.includes('|') || !text.includes('-')) return 0;
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|')) text = text.slice(0, -1);
  const cells = text.split('|');
  for (const cell of cells) if (!/^[ \t]*:?-+:?[ \t]*$/.test(cell)) return 0;
  return cells.length;
}
