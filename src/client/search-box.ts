// Results as you type in the header search box: a small ARIA combobox over /api/v1/search.
interface Hit { space: string; href: string; title: string; snippet: string }

for (const form of document.querySelectorAll<HTMLFormElement>('[data-search-box]')) {
  const input = form.querySelector('input')!;
  const list = form.querySelector('ul')!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let active = -1;

  const close = () => { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; input.removeAttribute('aria-activedescendant'); };
  const options = () => [...list.querySelectorAll<HTMLLIElement>('[role=option]')];
  const highlight = (i: number) => {
    const opts = options();
    active = Math.max(-1, Math.min(i, opts.length - 1));
    opts.forEach((o, j) => o.setAttribute('aria-selected', String(j === active)));
    if (active >= 0) input.setAttribute('aria-activedescendant', opts[active]!.id);
  };

  async function suggest() {
    const q = input.value.trim();
    if (!q) return close();
    controller?.abort();
    controller = new AbortController();
    try {
      const res = await fetch(`/api/v1/search?limit=6&q=${encodeURIComponent(q)}`, { signal: controller.signal });
      if (!res.ok) return close();
      const { hits } = (await res.json()) as { hits: Hit[] };
      list.replaceChildren(...hits.map((h, i) => {
        const li = document.createElement('li');
        li.id = `site-search-opt-${i}`;
        li.setAttribute('role', 'option');
        const a = document.createElement('a');
        a.href = h.href;
        a.tabIndex = -1;
        const title = document.createElement('strong');
        title.textContent = h.title;
        const where = document.createElement('span');
        where.className = 'where';
        where.textContent = h.space;
        const snippet = document.createElement('span');
        snippet.className = 'snippet';
        snippet.innerHTML = h.snippet; // server-escaped; only <mark> remains
        a.append(title, where, snippet);
        li.append(a);
        return li;
      }));
      list.hidden = hits.length === 0;
      input.setAttribute('aria-expanded', String(hits.length > 0));
      active = -1;
    } catch { /* aborted or offline: keep the old list */ }
  }

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(suggest, 120); });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
    else if (e.key === 'Escape') close();
    else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); options()[active]!.querySelector('a')!.click(); }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}
