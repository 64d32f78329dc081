// Admin → Spaces' import form (src/pages/admin/spaces/index.astro), sent by XMLHttpRequest (only
// it reports upload progress): the upload's progress, then how long the import has run and how
// many pages it has stored (GET /api/v1/imports, asked every second), then its report on the page
// (what was imported, what was not and why). Names in the report come from the archive, so they
// are set as text, never as HTML.
import { fillMessage } from '../i18n/fill.ts';
import { refusalText, type ErrorAnswer } from './refusal.ts';

interface ImportAnswer {
  space: string; project: string | null; problems: string[];
  spaces: { key: string; created: number; updated: number; unchanged: number }[];
  skipped: Refused[]; warnings: Refused[];
}
/** A file left out or imported without a value: why, in English and by a code with its figures. */
type Refused = { file: string; reason: string; code?: string } & Record<string, unknown>;

const form = document.querySelector<HTMLFormElement>('form[data-import]');
if (form) {
  const strings = JSON.parse(form.dataset.strings!) as Record<string, string>;
  const say = (key: string, params: Record<string, unknown> = {}) => fillMessage(strings[key]!, params);
  const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const bar = form.querySelector<HTMLProgressElement>('[data-import-progress]')!;
  const status = form.querySelector<HTMLElement>('[data-import-status]')!;
  const errorBox = document.querySelector<HTMLElement>('[data-import-error]')!;
  const report = document.querySelector<HTMLElement>('[data-import-report]')!;
  let ticking: ReturnType<typeof setInterval> | undefined;

  const done = () => {
    clearInterval(ticking);
    ticking = undefined; // a figure still on its way is not shown
    bar.hidden = true;
    status.textContent = '';
    button.disabled = false;
  };
  const refused = (httpStatus: number, answer: ErrorAnswer | null) => {
    done();
    // The front door's 413 (before the route, without a code) is the archive's size too.
    errorBox.textContent = refusalText(strings, httpStatus, answer?.code ? answer : httpStatus === 413 ? { code: 'archiveTooLarge' } : answer);
    errorBox.hidden = false;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    report.hidden = true;
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.dataset.import!);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      bar.value = e.loaded / e.total;
      status.textContent = say('importUploading', { percent: Math.round((e.loaded / e.total) * 100) });
    };
    // Uploaded: the server unpacks and imports now: the time it has taken, and the pages it has
    // stored once the first batch is in (of the import to the key typed, else the newest one).
    xhr.upload.onload = () => {
      const started = Date.now();
      const key = new FormData(form).get('space')?.toString().trim();
      let pages = 0;
      bar.removeAttribute('value');
      const show = () => {
        const seconds = Math.round((Date.now() - started) / 1000);
        if (ticking !== undefined) status.textContent = pages > 0 ? say('importPages', { pages, seconds }) : say('importWorking', { seconds });
      };
      ticking = setInterval(() => {
        show();
        void askProgress(key).then((n) => { if (n) { pages = n; show(); } });
      }, 1000);
      show();
    };
    xhr.onload = () => {
      if (xhr.status !== 201) return refused(xhr.status, xhr.response as ErrorAnswer | null);
      done();
      form.reset();
      showReport(xhr.response as ImportAnswer);
      void refreshSpaces();
    };
    xhr.onerror = () => refused(0, null);
    xhr.send(new FormData(form));
  });

  /** The list of spaces above the form, as the server shows it now: the imported space is in it. */
  async function refreshSpaces(): Promise<void> {
    const list = document.querySelector('[data-testid=spaces] tbody');
    try {
      const res = await fetch(location.pathname, { headers: { accept: 'text/html' } });
      const fresh = new DOMParser().parseFromString(await res.text(), 'text/html').querySelector('[data-testid=spaces] tbody');
      if (res.ok && list && fresh) list.replaceWith(fresh);
    } catch {
      // The report says where the space is; the list is right again at the next visit.
    }
  }

  async function askProgress(key: string | undefined): Promise<number | null> {
    try {
      const res = await fetch('/api/v1/imports', { headers: { accept: 'application/json' } });
      if (!res.ok) return null;
      const { imports } = (await res.json()) as { imports: { space: string; pages: number; startedAt: string }[] };
      const mine = imports.find((i) => i.space === key) ?? imports.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
      return mine?.pages ?? null;
    } catch {
      return null; // a moment without a figure: the time still counts
    }
  }

  function showReport(answer: ImportAnswer): void {
    const pages = answer.spaces.reduce((n, s) => n + s.created + s.updated + s.unchanged, 0);
    const el = (tag: string, text?: string, attrs: Record<string, string> = {}) => {
      const node = document.createElement(tag);
      if (text !== undefined) node.textContent = text;
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
      return node;
    };
    const summary = el('p', undefined, { class: 'notice', role: 'status' });
    summary.append(say('importDone', { pages, space: answer.space }), ' ', el('a', say('importOpen'), { href: `/s/${encodeURIComponent(answer.space)}` }));
    const parts: Node[] = [summary];
    if (answer.project) {
      const line = el('p');
      line.append(el('a', say('importProject', { project: answer.project }), { href: `/p/${encodeURIComponent(answer.project)}` }));
      parts.push(line);
    }
    // Files not imported, pages imported without a value, and what was left undone: each a list
    // that opens on demand (an archive can skip hundreds of files).
    const why = (item: Refused) => (item.code && strings[`error.${item.code}`] ? say(`error.${item.code}`, item) : item.reason);
    const listOf = (title: string, items: Refused[] | string[]) => {
      const details = el('details');
      details.append(el('summary', title));
      const list = el('ul');
      for (const item of items) {
        const li = el('li');
        if (typeof item === 'string') li.textContent = item;
        else li.append(el('code', item.file), ` — ${why(item)}`);
        list.append(li);
      }
      details.append(list);
      return details;
    };
    if (answer.skipped.length) parts.push(listOf(say('importSkipped', { n: answer.skipped.length }), answer.skipped));
    if (answer.warnings.length) parts.push(listOf(say('importWarnings', { n: answer.warnings.length }), answer.warnings));
    if (answer.problems.length) parts.push(listOf(say('importProblems'), answer.problems));
    report.replaceChildren(...parts);
    report.hidden = false;
  }
}
