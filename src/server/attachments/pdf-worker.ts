// Runs in a worker thread (pdf-text.ts): the text of one PDF file, cut at the given length.
import fs from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy } from 'unpdf';

const { file, maxChars } = workerData as { file: string; maxChars: number };
const pdf = await getDocumentProxy(new Uint8Array(fs.readFileSync(file)));
const { text } = await extractText(pdf, { mergePages: true });
parentPort!.postMessage(text.replace(/\s+/g, ' ').trim().slice(0, maxChars));
