// A page's attachment list (attachments-html.ts): delete with a confirmation, and uploads with
// progress that stay on the page.
import { uploadRefusalText, type ErrorAnswer } from './refusal.ts';

// Delete asks first, then removes the file without leaving the page.
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-delete-attachment]')) {
  button.addEventListener('click', async () => {
    if (!confirm(button.dataset.confirm!)) return;
    button.disabled = true;
    const res = await fetch(button.dataset.deleteAttachment!, { method: 'DELETE' });
    if (res.ok) location.reload();
    else button.disabled = false;
  });
}
// The upload form, sent by XMLHttpRequest (fetch cannot report upload progress).
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-upload]')) {
  const status = form.querySelector<HTMLElement>('[data-upload-status]')!;
  const errorBox = form.querySelector<HTMLElement>('[data-upload-error]')!;
  const strings = JSON.parse(form.dataset.strings!) as Record<string, string>;
  // Said as the page says a refused plain upload, in the reader's language.
  const refused = (httpStatus: number, answer: ErrorAnswer | null) => {
    status.textContent = '';
    errorBox.textContent = form.dataset.refused!.replace('{why}', uploadRefusalText(strings, httpStatus, answer));
    errorBox.hidden = false;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.dataset.upload!);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) status.textContent = form.dataset.progress!.replace('{percent}', String(Math.round((e.loaded / e.total) * 100)));
    };
    xhr.onload = () => {
      if (xhr.status === 201) return location.reload();
      let answer: ErrorAnswer | null = null;
      try { answer = JSON.parse(xhr.responseText) as ErrorAnswer; } catch { /* not JSON: the status says enough */ }
      refused(xhr.status, answer);
    };
    xhr.onerror = () => refused(0, { code: 'other' });
    xhr.send(new FormData(form));
  });
}
