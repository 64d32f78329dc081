// Markdown formatting commands for the toolbar and their keyboard shortcuts.
import { EditorSelection, type ChangeSpec, type SelectionRange } from '@codemirror/state';
import type { EditorView, KeyBinding } from '@codemirror/view';

type Command = (view: EditorView) => boolean;

/** `**text**` around each selection; an empty selection gets a selected placeholder to type over. */
const wrap = (mark: string, placeholder: string): Command => (view) => {
  view.dispatch(view.state.changeByRange((r) => {
    const text = view.state.sliceDoc(r.from, r.to) || placeholder;
    return {
      changes: { from: r.from, to: r.to, insert: `${mark}${text}${mark}` },
      range: EditorSelection.range(r.from + mark.length, r.from + mark.length + text.length),
    };
  }));
  view.focus();
  return true;
};

/** `[text](https://)` with the URL selected, ready to paste over. */
const link = (placeholder: string): Command => (view) => {
  view.dispatch(view.state.changeByRange((r) => {
    const text = view.state.sliceDoc(r.from, r.to) || placeholder;
    const urlAt = r.from + text.length + 3;
    return { changes: { from: r.from, to: r.to, insert: `[${text}](https://)` }, range: EditorSelection.range(urlAt, urlAt + 'https://'.length) };
  }));
  view.focus();
  return true;
};

// Any block marker a line may start with: heading, task, bullet, number, quote.
const MARKER = /^(#{1,6} |[-*+] \[[ xX]\] |[-*+] |\d+[.)] |> )/;

/**
 * Sets the marker of every line the selection touches (`- `, `1. `, `> `, `## `…), replacing
 * another one; when the first line has this kind already, takes them off instead.
 */
const lineMarker = (marker: (i: number) => string, kind: RegExp): Command => (view) => {
  const { state } = view;
  const lines = new Set<number>();
  for (const r of state.selection.ranges) {
    for (let n = state.doc.lineAt(r.from).number; n <= state.doc.lineAt(r.to).number; n++) lines.add(n);
  }
  // Blank lines inside a multi-line selection stay blank.
  const all = [...lines].sort((a, b) => a - b);
  const numbers = all.length > 1 ? all.filter((n) => state.doc.line(n).text.trim() !== '') : all;
  if (numbers.length === 0) return false;
  const off = kind.test(state.doc.line(numbers[0]!).text);
  const changes = state.changes(numbers.map((n, i): ChangeSpec => {
    const line = state.doc.line(n);
    const old = MARKER.exec(line.text)?.[0] ?? '';
    return { from: line.from, to: line.from + old.length, insert: off ? '' : marker(i) };
  }));
  // A cursor where a marker goes in (an empty line, a line's start) ends up after it, to type on.
  view.dispatch({ changes, selection: state.selection.map(changes, 1), scrollIntoView: true });
  view.focus();
  return true;
};

/** A block on lines of its own: a blank line before it unless at the start. */
const block = (text: (selected: string) => string, cursorOffset: (inserted: string) => number): Command => (view) => {
  view.dispatch(view.state.changeByRange((r: SelectionRange) => {
    const line = view.state.doc.lineAt(r.from);
    const before = r.from === line.from ? (line.number > 1 && view.state.doc.line(line.number - 1).text.trim() !== '' ? '\n' : '') : '\n\n';
    const inserted = `${before}${text(view.state.sliceDoc(r.from, r.to))}\n`;
    return { changes: { from: r.from, to: r.to, insert: inserted }, range: EditorSelection.cursor(r.from + before.length + cursorOffset(inserted.slice(before.length))) };
  }));
  view.focus();
  return true;
};

export function markdownCommands(strings: { linkText: string; table: string }): Record<string, Command> {
  const heading = (level: number) => lineMarker(() => `${'#'.repeat(level)} `, new RegExp(`^#{${level}} `));
  return {
    bold: wrap('**', 'bold'),
    italic: wrap('_', 'italic'),
    link: link(strings.linkText),
    heading: heading(2),
    heading1: heading(1),
    heading3: heading(3),
    bulletList: lineMarker(() => '- ', /^[-*+] (?!\[[ xX]\] )/),
    numberedList: lineMarker((i) => `${i + 1}. `, /^\d+[.)] /),
    taskList: lineMarker(() => '- [ ] ', /^[-*+] \[[ xX]\] /),
    quote: lineMarker(() => '> ', /^> /),
    codeBlock: block((s) => `\`\`\`\n${s}\n\`\`\``, () => 4),
    // Below the selected text, which stays: the cursor in the first header cell.
    table: block((s) => (s.trim() ? `${s}\n\n${strings.table}` : strings.table), (inserted) => inserted.indexOf(strings.table) + 2),
  };
}

export function markdownKeys(c: Record<string, Command>): KeyBinding[] {
  return [
    { key: 'Mod-b', run: c.bold! }, { key: 'Mod-i', run: c.italic! }, { key: 'Mod-k', run: c.link! },
    { key: 'Mod-Alt-1', run: c.heading1! }, { key: 'Mod-Alt-2', run: c.heading! }, { key: 'Mod-Alt-3', run: c.heading3! },
    { key: 'Mod-Shift-8', run: c.bulletList! }, { key: 'Mod-Shift-7', run: c.numberedList! }, { key: 'Mod-Shift-9', run: c.taskList! },
    { key: 'Mod-Shift-.', run: c.quote! }, { key: 'Mod-Alt-c', run: c.codeBlock! },
  ];
}
