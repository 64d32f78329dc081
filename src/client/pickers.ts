// Fields that offer choices as you type, from the server, in a datalist: a writer picks by a word
// of a title or a name instead of typing a path or an address. Options marked `data-fixed` (a
// filter's "me") stay. Without JavaScript each is a plain field.
// - `data-page-picker` (a requirement's Documents form; a page's Move form): pages of the space it
//   names (`data-page-picker="<space>"`, else the space chosen in the form's `space` list), from /api/v1/search;
// - `data-person-picker="<space>"` (a requirement's assignee, the list's assignee filter): people
//   who may read the space, from /api/v1/mentions; the value is their address where the space's
//   editors see it, else their name (which the list filter also takes).
interface Choice { value: string; label: string }

function picker(input: HTMLInputElement, ask: (q: string) => string, choices: (answer: unknown) => Choice[]): void {
  const list = input.list!;
  const fixed = [...list.querySelectorAll('option[data-fixed]')];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      // Empty, or a choice just picked from the list: nothing to ask.
      if (!q || [...list.options].some((o) => o.value === q)) return;
      controller?.abort();
      controller = new AbortController();
      const res = await fetch(ask(q), { signal: controller.signal }).catch(() => null);
      if (!res?.ok) return;
      list.replaceChildren(...fixed, ...choices(await res.json()).map((c) => Object.assign(document.createElement('option'), c)));
    }, 150);
  });
}

for (const input of document.querySelectorAll<HTMLInputElement>('input[data-page-picker]')) {
  const space = () => input.dataset.pagePicker || (input.form!.elements.namedItem('space') as HTMLSelectElement).value;
  picker(input, (q) => `/api/v1/search?type=page&limit=8&space=${encodeURIComponent(space())}&q=${encodeURIComponent(q)}`,
    (answer) => (answer as { hits: { path: string; title: string }[] }).hits.map((h) => ({ value: h.path, label: h.title })));
}

for (const input of document.querySelectorAll<HTMLInputElement>('input[data-person-picker]')) {
  picker(input, (q) => `/api/v1/mentions/${encodeURIComponent(input.dataset.personPicker!)}?q=${encodeURIComponent(q)}`,
    (answer) => (answer as { name: string; email?: string }[]).map((p) => ({ value: p.email ?? p.name, label: p.name })));
}
