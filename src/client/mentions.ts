// `@` in a comment box (a page's or a requirement's: any textarea with data-mention-space) offers
// the people who may read that space (/api/v1/mentions/<space>); picking one writes their name,
// which the server reads as a mention (comments/mentions.ts).
interface Person { name: string; email?: string } // the email for the space's editors only

let boxes = 0;
for (const textarea of document.querySelectorAll<HTMLTextAreaElement>('textarea[data-mention-space]')) {
  attachMentions(textarea, textarea.dataset.mentionSpace!, `mention-list-${++boxes}`);
}

/** A listbox under the textarea with the people whose name or email starts the word after `@`. */
function attachMentions(textarea: HTMLTextAreaElement, space: string, listId: string): void {
  const list = document.createElement('ul');
  list.id = listId;
  list.className = 'mention-list';
  list.setAttribute('role', 'listbox');
  list.hidden = true;
  textarea.after(list);
  textarea.setAttribute('aria-autocomplete', 'list');
  textarea.setAttribute('aria-controls', listId);
  textarea.setAttribute('aria-expanded', 'false');
  let people: Person[] = [];
  let active = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;

  // The `@name` just before the caret, if the caret is in one: up to three words, as names have
  // ("@Tom B" finds Tom Becker); words typed after a name find no one, and the list stays closed.
  const token = () => {
    const m = /(?:^|[\s(（，。,;；:：])@((?:[^\s@]+ ){0,2}[^\s@]*)$/u.exec(textarea.value.slice(0, textarea.selectionStart));
    return m && m[1]!.length <= 40 ? m : null;
  };
  const close = () => { list.hidden = true; textarea.setAttribute('aria-expanded', 'false'); textarea.removeAttribute('aria-activedescendant'); };
  const highlight = (i: number) => {
    active = (i + people.length) % people.length;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === active)));
    textarea.setAttribute('aria-activedescendant', `${listId}-${active}`);
  };
  const choose = (p: Person) => {
    const m = token();
    if (!m) return close();
    // The name, unless another suggestion has the same one: then the email (when shown), which is unique.
    const label = p.email && people.filter((o) => o.name === p.name).length > 1 ? p.email : p.name;
    const start = textarea.selectionStart - m[1]!.length;
    textarea.setRangeText(`${label} `, start, textarea.selectionStart, 'end');
    close();
    textarea.focus();
  };

  async function suggest() {
    const m = token();
    if (!m || !m[1] || (m[1].length < 2 && !/\p{Script=Han}/u.test(m[1]))) return close(); // as the server asks
    controller?.abort();
    controller = new AbortController();
    try {
      const res = await fetch(`/api/v1/mentions/${encodeURIComponent(space)}?q=${encodeURIComponent(m[1])}`, { signal: controller.signal });
      if (!res.ok) return close();
      people = (await res.json()) as Person[];
      list.replaceChildren(...people.map((p, i) => {
        const li = document.createElement('li');
        li.id = `${listId}-${i}`;
        li.setAttribute('role', 'option');
        const name = document.createElement('strong');
        name.textContent = p.name;
        li.append(name);
        if (p.email) {
          const email = document.createElement('span');
          email.className = 'meta';
          email.textContent = ` ${p.email}`;
          li.append(email);
        }
        li.addEventListener('mousedown', (e) => { e.preventDefault(); choose(p); });
        return li;
      }));
      list.hidden = people.length === 0;
      textarea.setAttribute('aria-expanded', String(people.length > 0));
      if (people.length) highlight(0);
    } catch { /* aborted or offline: keep the old list */ }
  }

  textarea.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(suggest, 120); });
  textarea.addEventListener('blur', () => setTimeout(close, 100));
  textarea.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
    else if (e.key === 'Escape') { e.preventDefault(); close(); }
    else if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); choose(people[active]!); }
  });
}
