// Choosing a template on a new page sends the title typed in the editor with it (a template may
// use it), so the page has one title field, not two (components/TemplatePicker.astro).
for (const carried of document.querySelectorAll<HTMLInputElement>('input[data-title-from-editor]')) {
  const title = document.querySelector<HTMLInputElement>('form[data-editor] input[name=title]');
  if (!title) continue;
  carried.disabled = false;
  carried.form!.addEventListener('submit', () => { carried.value = title.value; });
}
