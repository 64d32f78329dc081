// On a phone the search filters (four fields and a box) push the first result half a screen down:
// while none is set they start folded behind a "Filters" button, which the CSS shows on narrow
// screens only. Without JavaScript they stay open.
for (const form of document.querySelectorAll<HTMLFormElement>('form[data-foldable-filters]')) {
  const toggle = form.querySelector<HTMLButtonElement>('.filters-toggle')!;
  const fold = (folded: boolean) => {
    form.classList.toggle('folded', folded);
    toggle.setAttribute('aria-expanded', String(!folded));
  };
  form.classList.add('foldable');
  fold(form.dataset.foldableFilters === 'folded');
  toggle.addEventListener('click', () => fold(!form.classList.contains('folded')));
}
