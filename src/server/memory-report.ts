// Where the server's memory goes, in MB: `kill -USR2 <pid>` makes `npm start` log one line of it
// (the mixed-load bench asks before and after its run). RSS as the kernel counts it, split into
// the main thread's V8 heap (and its used part), the buffers V8 tracks outside it (external,
// array buffers), each worker thread's V8 heap (render workers, the PDF worker), and the rest of
// the anonymous memory: native allocations (SQLite's page cache, Meilisearch client sockets,
// libraries) and what glibc's malloc keeps after they were freed. File-backed pages (the node
// binary, shared libraries, SQLite's mmap) are counted apart: the kernel can drop them.
import fs from 'node:fs';

interface HeapReport { javascriptHeap: { totalMemory: number; usedMemory: number; heapSpaces: Record<string, { memorySize: number }> } }
interface Report extends HeapReport { workers: HeapReport[] }

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function rollupKb(field: string): number {
  try {
    const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  } catch {
    return 0; // not Linux
  }
}

export interface MemoryReport {
  rss: number; anonymous: number; fileBacked: number;
  mainHeap: number; mainHeapUsed: number; mainSpaces: Record<string, number>; external: number; arrayBuffers: number;
  workers: number[]; nativeAndFree: number;
}

export function memoryReport(): MemoryReport {
  const usage = process.memoryUsage();
  // The diagnostic report is the one place that reaches every worker's heap from here.
  const report = process.report.getReport() as unknown as Report;
  const workers = report.workers.map((w) => mb(w.javascriptHeap.totalMemory));
  const anonymous = Math.round(rollupKb('Anonymous') / 1024);
  const rss = mb(usage.rss);
  const mainHeap = mb(usage.heapTotal);
  const mainSpaces = Object.fromEntries(Object.entries(report.javascriptHeap.heapSpaces)
    .map(([name, space]) => [name.replace(/_space$/, ''), mb(space.memorySize)]).filter(([, size]) => size));
  return {
    rss, anonymous, fileBacked: rss - anonymous,
    mainHeap, mainHeapUsed: mb(usage.heapUsed), mainSpaces, external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers),
    workers,
    // External memory lives in malloc's arenas too, so it is part of this rest.
    nativeAndFree: anonymous - mainHeap - workers.reduce((a, b) => a + b, 0),
  };
}

export function formatMemoryReport(r: MemoryReport): string {
  return `memory (MB): rss ${r.rss} = file-backed ${r.fileBacked} + anonymous ${r.anonymous}; main V8 heap ${r.mainHeap} (used ${r.mainHeapUsed}; `
    + `${Object.entries(r.mainSpaces).map(([name, size]) => `${name} ${size}`).join(', ')}); `
    + `external ${r.external} (array buffers ${r.arrayBuffers}); worker heaps [${r.workers.join(', ')}]; native + malloc-free ${r.nativeAndFree}`;
}
