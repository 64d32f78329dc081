// A board wider than the screen (a phone: one column at a time) opens at its first column with
// cards rather than at an empty "Submitted".
for (const board of document.querySelectorAll<HTMLElement>('[data-testid=board]')) {
  if (board.scrollWidth <= board.clientWidth) continue;
  const first = [...board.querySelectorAll<HTMLElement>('.column')].find((c) => c.querySelector('.req-card'));
  if (first) board.scrollLeft += first.getBoundingClientRect().left - board.getBoundingClientRect().left;
}
