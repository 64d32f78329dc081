// As-you-type suggestions from the search API, which answers only what the writer may read:
// `[[` offers page titles, `PAY-` offers that project's requirement keys with their titles.
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { EditorView } from '@codemirror/view';

interface Hit { type: 'page' | 'requirement'; space: string; path: string; title: string; key?: string }

async function search(params: Record<string, string>): Promise<Hit[]> {
  const res = await fetch(`/api/v1/search?${new URLSearchParams({ limit: '10', ...params })}`);
  return res.ok ? ((await res.json()) as { hits: Hit[] }).hits : [];
}

/** `[[` + what was typed → `[[Title]]` (or `[[space:Title]]` for another space), eating a `]]` already there. */
export function pageTitles(space: string) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const typed = ctx.matchBefore(/\[\[[^\][\n|#]*$/);
    if (!typed) return null;
    const hits = await search({ type: 'page', q: typed.text.slice(2) });
    if (ctx.aborted) return null;
    const seen = new Set<string>();
    const options: Completion[] = [];
    for (const h of hits) {
      if (seen.has(`${h.space}/${h.path}`)) continue; // one per page, not one per matching section
      seen.add(`${h.space}/${h.path}`);
      const ref = h.space === space ? h.title : `${h.space}:${h.title}`;
      options.push({
        label: h.title, detail: h.space, type: 'text',
        apply: (view: EditorView, _c: Completion, _from: number, to: number) => {
          const closing = view.state.sliceDoc(to, to + 2) === ']]' ? 2 : 0;
          const insert = `[[${ref}]]`;
          view.dispatch({ changes: { from: typed.from, to: to + closing, insert }, selection: { anchor: typed.from + insert.length } });
        },
      });
    }
    return { from: typed.from + 2, options, filter: false };
  };
}

/** `PAY-` or `PAY-1` → the requirement keys of project PAY starting so, each with its title. */
export async function requirementKeys(ctx: CompletionContext): Promise<CompletionResult | null> {
  const typed = ctx.matchBefore(/\b[A-Z][A-Z0-9]{1,9}-\d*$/);
  if (!typed) return null;
  const [project, number] = typed.text.split('-') as [string, string];
  const hits = await search({ type: 'requirement', project, q: number ? typed.text : '' });
  if (ctx.aborted) return null;
  const options = hits.filter((h) => h.key?.startsWith(typed.text))
    .map((h): Completion => ({ label: h.key!, detail: h.title.replace(`${h.key} `, ''), type: 'keyword' })); // the indexed title starts with the key
  return { from: typed.from, options, filter: false };
}
