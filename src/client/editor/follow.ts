// The preview follows the source: its top-level blocks carry the line they start on (data-line,
// added to the preview's HTML only), so the preview can show the block the cursor is in, and the
// block at the top of the source when the source is scrolled.

/** The last block of the preview that starts on or before `line`. */
export function blockAt(preview: HTMLElement, line: number): HTMLElement | null {
  let found: HTMLElement | null = null;
  for (const block of preview.querySelectorAll<HTMLElement>(':scope > [data-line]')) {
    if (Number(block.dataset.line) > line) break;
    found = block;
  }
  return found;
}

/**
 * Scrolls `pane` (the preview's scrolling box) to `block`: `top` puts it at the top; `nearest`
 * moves only when it is out of sight, to a third of the way down.
 */
export function reveal(pane: HTMLElement, block: HTMLElement, mode: 'top' | 'nearest'): void {
  const top = block.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
  if (mode === 'top') {
    pane.scrollTop = top - 8;
    return;
  }
  const inSight = top >= pane.scrollTop && top + Math.min(block.offsetHeight, pane.clientHeight / 2) <= pane.scrollTop + pane.clientHeight;
  if (!inSight) pane.scrollTop = top - pane.clientHeight / 3;
}
