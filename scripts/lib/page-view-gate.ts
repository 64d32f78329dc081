// Page views give way to every other request. While any other request (a search, a save, an API
// call) is being answered, at most `limit` page views run at once and the rest wait their turn in
// arrival order; while none is, every page view goes at once, because admitting them a few at a
// time costs throughput even with nothing to give way to (page views alternated on one kept
// import at 50 connections: 1,620 against 1,323 req/s, 0.73 against 0.90 ms of CPU per view).
export interface PageViewGate {
  pageView<T>(task: () => Promise<T>): Promise<T>;
  other<T>(task: () => Promise<T>): Promise<T>;
}

export function pageViewGate(limit: number): PageViewGate {
  let running = 0;
  let others = 0;
  const waiting: (() => void)[] = [];
  const mayStart = () => others === 0 || running < limit;
  const admit = () => {
    while (waiting.length > 0 && mayStart()) {
      running++;
      waiting.shift()!();
    }
  };
  return {
    async pageView(task) {
      if (mayStart()) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve)); // admit() counted it
      try {
        return await task();
      } finally {
        running--;
        admit();
      }
    },
    async other(task) {
      others++;
      try {
        return await task();
      } finally {
        others--;
        admit();
      }
    },
  };
}
