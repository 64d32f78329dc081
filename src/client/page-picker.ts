// A page path field that offers pages as you type (a requirement's Documents form): a datalist
// filled from /api/v1/search, within the space its form names, so that a writer picks a page by a
// word of its title instead of typing its path. Without JavaScript it is a plain text field.
interface Hit { path: string; title: string }

for (const input of document.querySelectorAll<HTMLInputElement>('input[data-page-picker]')) {
  const list = input.list!;
  const space = input.form!.elements.namedItem('space') as HTMLInputElement;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      // Empty, or a path just picked from the list: nothing to ask.
      if (!q || [...list.options].some((o) => o.value === q)) return;
      controller?.abort();
      controller = new AbortController();
      const url = `/api/v1/search?type=page&limit=8&space=${encodeURIComponent(space.value.trim())}&q=${encodeURIComponent(q)}`;
      const res = await fetch(url, { signal: controller.signal }).catch(() => null);
      if (!res?.ok) return;
      const { hits } = (await res.json()) as { hits: Hit[] };
      list.replaceChildren(...hits.map((h) => Object.assign(document.createElement('option'), { value: h.path, label: h.title })));
    }, 150);
  });
}
