// Disclosures that are open beside the page on a wide screen and folded above it on a narrow one
// (the space's page tree, "On this page"): `data-fold-narrow` gives the width in pixels at and
// below which they start folded. Without JavaScript they stay open.
for (const details of document.querySelectorAll<HTMLDetailsElement>('details[data-fold-narrow]')) {
  const narrow = matchMedia(`(max-width: ${Number(details.dataset.foldNarrow)}px)`);
  const fit = () => { details.open = !narrow.matches; };
  fit();
  narrow.addEventListener('change', fit);
}
