// Settings from the environment, read when asked so scripts and tests can set them first.
import path from 'node:path';

export function dataDir(): string {
  return path.resolve(process.env.DOSSIER_DATA_DIR ?? './data');
}

export function dbFile(): string {
  return path.join(dataDir(), 'dossier.db');
}
