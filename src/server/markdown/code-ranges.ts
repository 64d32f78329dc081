// Where a Markdown source holds code (fenced blocks and inline code spans), found by one linear
// scan rather than a parse: an import rewrites the links in every page it brings in, and
// parsing each page for this cost the corpus's import 13.8 s. A rewrite by pattern asks
// `inCode` and leaves a match in code as written: an example of a link is not a link.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// A run of backticks, then anything without a blank line, then a run of the same length
// (CommonMark's code span: runs of other lengths inside do not close it). At most 1,000
// characters inside, so that runs no equal run closes (hostile, or stray) are each given up after
// as many: without the bound, 1,500 runs of growing length in one paragraph took 8.6 s.
const CODE_SPAN = /(?<!`)(`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S]){0,1000}?(?<!`)\1(?!`)/g;

export type CodeRanges = readonly (readonly [start: number, end: number])[];

/** The source's code, as [start, end) offsets in order. An unclosed fence runs to the end. */
export function codeRanges(markdown: string): CodeRanges {
  const ranges: [number, number][] = [];
  const spans = (from: number, to: number) => {
    for (const m of markdown.slice(from, to).matchAll(CODE_SPAN)) ranges.push([from + m.index, from + m.index + m[0].length]);
  };
  let prose = 0; // where the text outside fences began
  let fence: { char: string; length: number; start: number } | null = null;
  for (let at = 0; at <= markdown.length;) {
    const eol = markdown.indexOf('\n', at);
    const end = eol < 0 ? markdown.length : eol;
    const marker = FENCE.exec(markdown.slice(at, Math.min(end, at + 200)));
    if (fence) {
      if (marker && marker[1]![0] === fence.char && marker[1]!.length >= fence.length && markdown.slice(at, end).trim() === marker[1]) {
        ranges.push([fence.start, end]);
        fence = null;
        prose = end;
      }
    } else if (marker) {
      spans(prose, at);
      fence = { char: marker[1]![0]!, length: marker[1]!.length, start: at };
    }
    if (eol < 0) break;
    at = eol + 1;
  }
  if (fence) ranges.push([fence.start, markdown.length]);
  else spans(prose, markdown.length);
  return ranges;
}

/** Whether `offset` is inside one of the ranges (binary search). */
export function inCode(ranges: CodeRanges, offset: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end] = ranges[mid]!;
    if (offset < start) hi = mid - 1;
    else if (offset >= end) lo = mid + 1;
    else return true;
  }
  return false;
}
