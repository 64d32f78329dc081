// A requirement field's name in the reader's language, wherever a change is told: the timeline,
// the inbox and e-mail, chat webhooks. A field without a name of its own is shown by its key.
import { MESSAGE_KEYS, type MessageKey, type translator } from './index.ts';

export function fieldName(t: ReturnType<typeof translator>, field: string): string {
  if (field === 'restricted' || field === 'viewers') return t(`rowlevel.field.${field}`);
  const key = `tracker.field.${field}`;
  return MESSAGE_KEYS.has(key) ? t(key as MessageKey) : field;
}
