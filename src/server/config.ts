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

/** The largest archive an admin may upload to import a space, DOSSIER_MAX_IMPORT_MB megabytes (200 unless set). */
export function maxImportBytes(): number {
  const mb = Number(process.env.DOSSIER_MAX_IMPORT_MB ?? 200);
  return Math.floor((Number.isFinite(mb) && mb > 0 ? mb : 200) * 1024 * 1024);
}

/** The SMTP server e-mail goes through (DOSSIER_SMTP_URL, e.g. smtp://user:pass@mail.example.com:587); null: no e-mail. */
export function smtpUrl(): string | null {
  return process.env.DOSSIER_SMTP_URL?.trim() || null;
}

/** The From of e-mail (DOSSIER_MAIL_FROM, e.g. "Dossier <dossier@example.com>"). */
export function mailFrom(): string {
  return process.env.DOSSIER_MAIL_FROM?.trim() || 'Dossier <dossier@localhost>';
}

/** The site's language where nobody chose one: e-mail to people without a language, chat messages (DOSSIER_DEFAULT_LOCALE, en unless zh-CN). */
export function defaultLocale(): 'en' | 'zh-CN' {
  return process.env.DOSSIER_DEFAULT_LOCALE === 'zh-CN' ? 'zh-CN' : 'en';
}

/** Local hour (0–23) at which daily digests go out (DOSSIER_DIGEST_HOUR, 8 unless set). */
export function digestHour(): number {
  const h = Number(process.env.DOSSIER_DIGEST_HOUR ?? 8);
  return Number.isInteger(h) && h >= 0 && h <= 23 ? h : 8;
}
