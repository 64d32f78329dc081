// The searchable text of a PDF attachment, extracted by unpdf on a worker thread of its own,
// bounded in time (a hostile PDF can make a parser spin), in memory and in length. A PDF whose
// text cannot be had in time is still stored; it is just not found by its contents.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { limiter } from './limit.ts';

export const PDF_TEXT_MAX_CHARS = 100_000;
const TIMEOUT_MS = 10_000;
const HEAP_MB = 256;

function workerUrl(): URL {
  // The bundled server (dist/) has no ./pdf-worker.ts beside it: it finds the source by DOSSIER_ROOT.
  const root = process.env.DOSSIER_ROOT;
  return root ? pathToFileURL(path.join(root, 'src/server/attachments/pdf-worker.ts')) : new URL('./pdf-worker.ts', import.meta.url);
}

// Two at a time: ten PDFs uploaded at once must not start ten parsers of 256 MB each.
const bounded = limiter(2);

export function pdfText(file: string, timeoutMs = TIMEOUT_MS): Promise<string> {
  return bounded(() => new Promise((resolve) => {
    const worker = new Worker(workerUrl(), { workerData: { file, maxChars: PDF_TEXT_MAX_CHARS }, resourceLimits: { maxOldGenerationSizeMb: HEAP_MB } });
    const done = (text: string) => { clearTimeout(timer); void worker.terminate(); resolve(text); };
    const timer = setTimeout(() => done(''), timeoutMs);
    worker.once('message', (text: string) => done(text));
    worker.once('error', () => done(''));
    worker.once('exit', () => done(''));
  }));
}
