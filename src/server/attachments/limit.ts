// At most `n` of a kind of heavy work (image encoding, PDF parsing) at once; the rest wait their turn.
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try { return await fn(); } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
