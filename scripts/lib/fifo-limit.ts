// At most `limit` tasks at once; the others wait their turn in arrival order.
export type FifoLimit = <T>(task: () => Promise<T>) => Promise<T>;

export function fifoLimit(limit: number): FifoLimit {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the finishing task hands its place over
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
