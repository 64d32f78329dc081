// Page comments with JavaScript: posts and edits go through the JSON API so an error keeps the
// text, and deleting asks first (`@` offers people: mentions.ts). Without it the same forms post
// to /forms/comments.

import { refusalText, type ErrorAnswer } from './refusal.ts';

for (const section of document.querySelectorAll<HTMLElement>('[data-comments]')) {
  const space = section.dataset.space!;
  const path = section.dataset.path!;
  // A refusal in the reader's language (the words for its code), else the server's.
  const strings = JSON.parse(section.dataset.strings ?? '{}') as Record<string, string>;

  for (const form of section.querySelectorAll<HTMLFormElement>('form[data-comment-form]')) {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      const markdown = String(data.get('markdown') ?? '');
      const editing = form.dataset.commentForm === 'edit';
      const url = editing ? `/api/v1/comments/${data.get('id')}` : `/api/v1/comments/${encodeURIComponent(space)}${path ? `/${path.split('/').map(encodeURIComponent).join('/')}` : ''}`;
      const body = editing ? { markdown } : { markdown, ...(data.get('parent') ? { parent: Number(data.get('parent')) } : {}) };
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
      button.disabled = true;
      try {
        const res = await fetch(url, { method: editing ? 'PATCH' : 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const answer = (await res.json()) as { id?: number } & ErrorAnswer;
        if (!res.ok) throw new Error(refusalText(strings, res.status, answer));
        location.hash = `comment-${answer.id}`;
        location.reload();
      } catch (err) {
        const box = form.querySelector<HTMLElement>('.comment-error')!;
        box.textContent = (err as Error).message;
        box.hidden = false;
        button.disabled = false;
      }
    });
  }

  for (const form of section.querySelectorAll<HTMLFormElement>('form[data-comment-confirm]')) {
    form.addEventListener('submit', (e) => { if (!confirm(form.dataset.commentConfirm!)) e.preventDefault(); });
  }
}
