// Reading the desk settings forms (DeskSettings.astro) into the shapes the API takes, so the
// forms and the API share one validation (src/server/desk/settings.ts).
import { DomainError } from '../server/errors.ts';
import type { SlaConfig } from '../server/desk/sla.ts';
import { PRIORITIES } from '../server/requirements/fields.ts';

/** "alias = tag" per line (blank lines skipped) → {alias: tag}; `badLine(n)` words the error for line n. */
export function aliasesFromText(text: string, badLine: (n: number) => string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const at = line.search(/[=＝]/);
    if (at < 0) throw new DomainError(422, badLine(i + 1));
    out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  });
  return out;
}

/** The SLA table's fields (`sla.<category>.<priority>.first|resolve|clock`) → the API's SLA object; a row with both hours empty has none. */
export function slaFromForm(form: FormData, categories: string[]): SlaConfig {
  const out: Record<string, Record<string, unknown>> = {};
  const hours = (v: string) => (v.trim() === '' ? undefined : Number(v));
  for (const category of categories) {
    for (const priority of PRIORITIES) {
      const field = (f: string) => String(form.get(`sla.${category}.${priority}.${f}`) ?? '');
      if (!field('first').trim() && !field('resolve').trim()) continue;
      (out[category] ??= {})[priority] = { firstResponseHours: hours(field('first')), resolveHours: hours(field('resolve')), clock: field('clock') || 'calendar' };
    }
  }
  return out as SlaConfig;
}
