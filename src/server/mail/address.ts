// Addresses we put in a header. A header is a line: a CR or LF in an address (or a name) would end
// it and start another ("Bcc: …"), so an address is one plain mailbox or nothing.
import addressparser from 'nodemailer/lib/addressparser';

const MAILBOX = /^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]{1,64}@[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]{1,253}$/u;

export function isSafeAddress(address: string): boolean {
  return address.length <= 254 && MAILBOX.test(address) && !address.includes('..');
}

/** A display name for a header: control characters (CR, LF, tab…) become spaces. */
export function headerText(text: string, max = 200): string {
  const clean = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/** DOSSIER_MAIL_FROM as {name, address}; throws when it is not one safe mailbox. */
export function parseFrom(from: string): { name: string; address: string } {
  if (/[\r\n]/.test(from)) throw new Error('DOSSIER_MAIL_FROM must be one line');
  const parsed = addressparser(from);
  const one = parsed.length === 1 && 'address' in parsed[0]! ? parsed[0] : undefined;
  if (!one?.address || !isSafeAddress(one.address)) throw new Error(`DOSSIER_MAIL_FROM is not one e-mail address: ${JSON.stringify(from.slice(0, 100))}`);
  return { name: headerText(one.name ?? ''), address: one.address };
}
