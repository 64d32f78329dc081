// Settings from the environment, read when asked so scripts and tests can set them first.
import path from 'node:path';

export function dataDir(): string {
  return path.resolve(process.env.DOSSIER_DATA_DIR ?? './data');
}

export function dbFile(): string {
  return path.join(dataDir(), 'dossier.db');
}

/** The largest attachment, DOSSIER_MAX_UPLOAD_MB megabytes (25 unless set). */
export function maxUploadBytes(): number {
  const mb = Number(process.env.DOSSIER_MAX_UPLOAD_MB ?? 25);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : 25) * 1024 * 1024);
}
