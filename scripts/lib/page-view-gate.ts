// Page views give way to every other request. A page view renders in one go on the main thread
// (~1–3 ms, none of it waiting on I/O), so under load every request Node read in one pass of its
// event loop was rendered before anything else ran: fifty readers made each pass ~60 ms, and a
// search, which needs several passes (its request, Meilisearch's answer, its own answer), waited
// 15–50× its idle time. So while any other request (a search, a save, an API call) is being
// answered, and for a moment after the last one ended, page views wait in arrival order and at
// most `perTurn` of them are rendered per pass of the event loop; otherwise each goes at once,
// because holding them back costs throughput when there is nothing to give way to.
export interface PageViewGate {
  pageView<T>(task: () => Promise<T>): Promise<T>;
  other<T>(task: () => Promise<T>): Promise<T>;
}

export function pageViewGate(perTurn: number, holdMs = 100): PageViewGate {
  let others = 0;
  let lastOtherEnded = -Infinity;
  let scheduled = false;
  const waiting: (() => void)[] = [];
  const busy = () => others > 0 || performance.now() - lastOtherEnded < holdMs;
  const turn = () => {
    scheduled = false;
    const n = busy() ? perTurn : waiting.length;
    // Each resolved view renders in the microtasks right after this callback, before the event
    // loop reads more I/O.
    for (let i = 0; i < n && waiting.length > 0; i++) waiting.shift()!();
    if (waiting.length > 0) schedule();
  };
  const schedule = () => {
    if (!scheduled) setImmediate(turn);
    scheduled = true;
  };
  return {
    async pageView(task) {
      if (waiting.length > 0 || busy()) {
        const turnCame = new Promise<void>((resolve) => waiting.push(resolve));
        schedule();
        await turnCame;
      }
      return task();
    },
    async other(task) {
      others++;
      try {
        return await task();
      } finally {
        others--;
        lastOtherEnded = performance.now();
      }
    },
  };
}
