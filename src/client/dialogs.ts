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
