// Attachment file names as given by uploaders: only the last path part is kept, control and
// direction-override characters go, and a name must be short enough for headers and file systems.
import { badInput } from '../errors.ts';

export const MAX_NAME_CHARS = 255;

export function sanitizeName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // C0/C1 controls, and bidi controls that would make "gnp.exe" read as "exe.png".
  const name = last.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (name === '' || /^\.+$/.test(name)) throw badInput('The file needs a name');
  if ([...name].length > MAX_NAME_CHARS) throw badInput(`A file name is at most ${MAX_NAME_CHARS} characters`);
  return name;
}
