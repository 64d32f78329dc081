// A link marked data-opens-dialog="<id>" opens that <dialog> instead of going to its address (the
// address shows the same content as a page of its own, for browsers without JavaScript); a link
// marked data-dialog-close inside a dialog closes it, and is what has focus when the dialog opens
// (for a destructive action, the harmless way out comes first).
for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-opens-dialog]')) {
  const dialog = document.getElementById(link.dataset.opensDialog!);
  if (!(dialog instanceof HTMLDialogElement)) continue;
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-dialog-close]')?.focus();
  });
  for (const close of dialog.querySelectorAll<HTMLAnchorElement>('[data-dialog-close]')) {
    close.addEventListener('click', (event) => {
      event.preventDefault();
      dialog.close();
    });
  }
}

// A submit button marked data-confirm="<question>" asks first, in the page's #confirm-dialog (its
// question and the button's own label filled in); Cancel, which has focus, changes nothing, and the
// other button submits as the first click would have. Without JavaScript the button submits at once.
const confirmDialog = document.getElementById('confirm-dialog');
if (confirmDialog instanceof HTMLDialogElement) {
  const yes = confirmDialog.querySelector<HTMLButtonElement>('[data-confirm-yes]')!;
  let asked: HTMLButtonElement | null = null;
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-confirm]')) {
    button.addEventListener('click', (event) => {
      if (asked === button) { asked = null; return; } // confirmed: submit
      event.preventDefault();
      asked = button;
      confirmDialog.querySelector('[data-confirm-question]')!.textContent = button.dataset.confirm!;
      yes.textContent = button.textContent;
      confirmDialog.showModal();
      confirmDialog.querySelector<HTMLElement>('[data-dialog-close]')?.focus();
    });
  }
  yes.addEventListener('click', () => { confirmDialog.close(); asked?.click(); });
  confirmDialog.querySelector('[data-dialog-close]')?.addEventListener('click', () => { asked = null; confirmDialog.close(); });
}
