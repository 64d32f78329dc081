// Images as pages show them: re-encoded by sharp, which drops EXIF/GPS and other metadata (after
// turning the pixels as EXIF said), and scaled down to DISPLAY_WIDTH when wider. The copy is
// made once per file, on first view, at most two at a time (sharp works on libuv's threads,
// off the event loop), and kept beside the originals in files/display/.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { badInput } from '../errors.ts';
import { limiter } from './limit.ts';
import { filesDir } from './store.ts';

export const DISPLAY_WIDTH = 1600;
// A decompression bomb (a tiny file claiming 100,000 × 100,000 pixels) is refused at upload.
export const MAX_PIXELS = 50_000_000;

/** Refuses an image sharp cannot read or that has more than MAX_PIXELS (reads only its header). */
export async function assertReadableImage(file: string): Promise<void> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try { meta = await sharp(file).metadata(); } catch { throw badInput('The image cannot be read'); }
  const frames = meta.pages ?? 1;
  if (!meta.width || !meta.height || meta.width * meta.height * frames > MAX_PIXELS) {
    throw badInput(`An image may have at most ${MAX_PIXELS / 1_000_000} million pixels`);
  }
}

const displayPath = (sha256: string) => path.join(filesDir(), 'display', sha256);

const inFlight = new Map<string, Promise<string>>();
const bounded = limiter(2);

async function makeDisplayCopy(original: string, target: string): Promise<string> {
  const image = sharp(original, { animated: true, limitInputPixels: MAX_PIXELS })
    .autoOrient()
    .resize({ width: DISPLAY_WIDTH, withoutEnlargement: true });
  const tmp = `${target}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  await image.toFile(tmp); // same format as the original; sharp writes no metadata unless asked
  fs.renameSync(tmp, target);
  return target;
}

/** The display copy of a stored image, made now if it does not exist yet. */
export function displayCopy(original: string, sha256: string): Promise<string> {
  const target = displayPath(sha256);
  if (fs.existsSync(target)) return Promise.resolve(target);
  let job = inFlight.get(sha256);
  if (!job) {
    job = bounded(() => makeDisplayCopy(original, target)).finally(() => inFlight.delete(sha256));
    inFlight.set(sha256, job);
  }
  return job;
}
