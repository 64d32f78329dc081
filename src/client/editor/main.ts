// Mounts CodeMirror over each page form's textarea (the progressive enhancement of
// src/components/Editor.astro): toolbar and shortcuts, live preview from the server, suggestions,
// a draft saved on the server while typing, who else is editing, uploads, and a question before
// leaving with unsaved changes. The textarea stays the form field, kept in sync.
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { markdownKeymap, markdownLanguage } from '@codemirror/lang-markdown';
import { defaultHighlightStyle, LanguageSupport, syntaxHighlighting } from '@codemirror/language';
import { drawSelection, EditorView, highlightSpecialChars, keymap, type ViewUpdate } from '@codemirror/view';
import { newPagePath } from '../../server/pages/page-path.ts';
import { markdownCommands, markdownKeys } from './commands.ts';
import { blockAt, reveal } from './follow.ts';
import { pageTitles, requirementKeys } from './completions.ts';
import { refusalText, uploadRefusalText, type ErrorAnswer } from '../refusal.ts';
import { attachmentMarkdown, ownParagraph, pastedFileName, uploadFile, UploadRefused } from './uploads.ts';

const PREVIEW_DEBOUNCE_MS = 300;
const DRAFT_EVERY_MS = 3_000;
const PRESENCE_EVERY_MS = 15_000;

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

// Our look, inside the editor's shadow root (the page's style sheet does not reach in; its custom properties do).
const theme = EditorView.theme({
  '&': { height: '60vh', minHeight: '20rem', fontSize: '.9rem', color: 'var(--text)', backgroundColor: 'var(--panel)', borderRadius: '6px' },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '-1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.5' },
  '.cm-content': { padding: '.6rem .75rem', caretColor: 'var(--text)' },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  // The page's colours, light or dark, rather than CodeMirror's light grey.
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground': { background: 'var(--accent-soft)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { background: 'var(--accent)', color: '#fff' },
  '.cm-completionDetail': { marginLeft: '.75rem', fontStyle: 'normal', opacity: '.75' },
});

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-editor]')) mount(form);

function mount(form: HTMLFormElement): void {
  const strings = JSON.parse(form.dataset.strings!) as Record<string, string>;
  const t = (key: string, params: Record<string, string> = {}) =>
    (strings[`editor.${key}`] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '');
  const time = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const $ = <T extends Element>(selector: string) => form.querySelector<T>(selector)!;
  const textarea = $<HTMLTextAreaElement>('textarea[name=markdown]');
  const titleInput = $<HTMLInputElement>('input[name=title]');
  const pathInput = form.querySelector<HTMLInputElement>('input[name=path]');
  const preview = $<HTMLElement>('[data-preview]');
  const pane = preview.closest<HTMLElement>('.editor-preview')!; // the preview's scrolling box
  const errorBox = $<HTMLElement>('[data-editor-error]');
  const space = form.dataset.space!;
  // The edit screen's page, or on the new-page screen where the form would save it.
  const pagePath = () => (pathInput ? newPagePath(pathInput.value, titleInput.value) : form.dataset.path!);
  const showError = (message: string) => { errorBox.textContent = message; errorBox.hidden = !message; };

  const commands = markdownCommands({ linkText: t('linkText'), table: t('tableTemplate') });
  // In a shadow root, CodeMirror's own styles go in as constructed style sheets; as <style> elements
  // in the page they would be refused by our Content-Security-Policy (hashed styles only).
  const root = $('[data-source]').attachShadow({ mode: 'open' });
  const view = new EditorView({
    doc: textarea.value,
    root,
    parent: root,
    extensions: [
      theme,
      history(), drawSelection(), highlightSpecialChars(), EditorView.lineWrapping,
      // GFM Markdown without embedded-language parsers: markdown() would pull in HTML, CSS and JavaScript.
      new LanguageSupport(markdownLanguage), syntaxHighlighting(defaultHighlightStyle),
      autocompletion({ override: [pageTitles(space), requirementKeys], icons: false }),
      keymap.of([...markdownKeys(commands), ...markdownKeymap, ...completionKeymap, ...historyKeymap, ...defaultKeymap]),
      EditorView.contentAttributes.of({ 'aria-label': textarea.closest('label')!.firstChild!.textContent!, 'aria-multiline': 'true', spellcheck: 'true' }),
      EditorView.updateListener.of((u: ViewUpdate) => {
        if (u.docChanged) changed();
        if (u.selectionSet) followCursor();
      }),
      EditorView.domEventHandlers({
        // A pasted screenshot comes as "image.png" every time: it is named after the moment instead.
        paste: (e) => withFiles(e, e.clipboardData?.files, (f) => new File([f], pastedFileName(f, new Date()), { type: f.type })),
        drop: (e) => withFiles(e, e.dataTransfer?.files),
        scroll: () => followScroll(),
      }),
    ],
  });
  const text = () => view.state.doc.toString();
  $('.editor-field').classList.add('mounted');
  $<HTMLElement>('[data-toolbar]').hidden = false;
  $<HTMLElement>('[data-panes]').hidden = false;
  for (const button of form.querySelectorAll<HTMLButtonElement>('[data-cmd]')) {
    button.addEventListener('click', () => commands[button.dataset.cmd!]!(view));
  }

  // Unsaved: the text or title differs from what the page had when the editor opened.
  const saved = { markdown: text(), title: titleInput.value };
  let submitting = false;
  const dirty = () => text() !== saved.markdown || titleInput.value !== saved.title;
  window.addEventListener('beforeunload', (e) => { if (dirty() && !submitting) e.preventDefault(); });
  form.addEventListener('submit', () => { textarea.value = text(); submitting = true; });

  // Preview: rendered by the server exactly as a save would render it, a moment after typing stops.
  // One request in flight per editor, the latest text next: a slow render never piles up work.
  let previewTimer: ReturnType<typeof setTimeout> | undefined;
  let rendering = false;
  let renderAgain = false;
  async function renderPreview() {
    if (rendering) { renderAgain = true; return; }
    rendering = true;
    try {
      const res = await fetch('/api/v1/preview', json('POST', { space, path: pagePath(), markdown: text() }));
      const body = (await res.json()) as ErrorAnswer & { html?: string };
      if (!res.ok) throw new Error(refusalText(strings, res.status, body));
      preview.innerHTML = body.html!; // sanitized by our pipeline, as on the saved page
      followCursor();
    } catch (err) {
      preview.textContent = t('previewFailed', { error: (err as Error).message });
    } finally {
      rendering = false;
      if (renderAgain) { renderAgain = false; void renderPreview(); }
    }
  }
  function changed() {
    textarea.value = text();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(renderPreview, PREVIEW_DEBOUNCE_MS);
  }
  void renderPreview();

  // The preview keeps the source's place: the cursor's block in sight, the top block on scrolling.
  const follow = (line: number, mode: 'top' | 'nearest') => {
    const block = blockAt(preview, line);
    if (block) reveal(pane, block, mode);
  };
  function followCursor() {
    follow(view.state.doc.lineAt(view.state.selection.main.head).number, 'nearest');
  }
  function followScroll() {
    follow(view.state.doc.lineAt(view.lineBlockAtHeight(view.scrollDOM.scrollTop).from).number, 'top');
  }

  // Drafts: saved every few seconds while something changed; offered back when newer than the page.
  const draftUrl = (path = pagePath()) => `/api/v1/drafts/${encodeURIComponent(space)}${path ? `/${encodePath(path)}` : ''}`;
  const draftStatus = $<HTMLElement>('[data-draft-status]');
  let lastDraft = { ...saved };
  let lastDraftPath = pagePath();
  setInterval(async () => {
    const now = { markdown: text(), title: titleInput.value };
    if (!dirty() || (now.markdown === lastDraft.markdown && now.title === lastDraft.title && pagePath() === lastDraftPath)) return;
    const base = form.querySelector<HTMLInputElement>('input[name=baseRevision]')?.value;
    const path = pagePath();
    const res = await fetch(draftUrl(path), json('PUT', { ...now, baseRevision: base ? Number(base) : null }));
    if (!res.ok) return;
    // On the new-page screen the path follows the title: the draft moves with it.
    if (path !== lastDraftPath) void fetch(draftUrl(lastDraftPath), { method: 'DELETE' });
    lastDraft = now;
    lastDraftPath = path;
    draftStatus.textContent = t('draftSaved', { time: time.format(new Date()) });
  }, DRAFT_EVERY_MS);

  // The new-page screen asks for the newest draft of a page not created yet below its parent (its
  // path followed the title); the edit screen for the page's own. No draft: 204.
  const offer = $<HTMLElement>('[data-draft]');
  void (async () => {
    const res = await fetch(pathInput ? `${draftUrl(form.dataset.path!)}?new` : draftUrl());
    if (res.status !== 200) return;
    const draft = (await res.json()) as { path: string; title: string; markdown: string; baseRevision: number | null; updatedAt: string };
    const at = Date.parse(draft.updatedAt);
    if (at <= Number(form.dataset.pageUpdatedAt) || (draft.markdown === text() && draft.title === titleInput.value)) return;
    const cont = $<HTMLButtonElement>('[data-draft-continue]');
    cont.textContent = t('draftFound', { time: time.format(at) });
    offer.hidden = false;
    cont.onclick = () => {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: draft.markdown } });
      if (draft.title) titleInput.value = draft.title;
      if (pathInput && pagePath() !== draft.path) pathInput.value = draft.path; // a path typed by hand
      lastDraft = { markdown: draft.markdown, title: titleInput.value };
      lastDraftPath = draft.path;
      // Saved against the revision the draft was written from, so changes since then are merged, not overwritten.
      const base = form.querySelector<HTMLInputElement>('input[name=baseRevision]');
      if (base && draft.baseRevision) base.value = String(draft.baseRevision);
      offer.hidden = true;
    };
    $<HTMLButtonElement>('[data-draft-discard]').onclick = () => {
      offer.hidden = true;
      void fetch(draftUrl(draft.path), { method: 'DELETE' });
    };
  })();

  // Presence: a heartbeat that also answers who else has this page open in an editor.
  const presence = $<HTMLElement>('[data-presence]');
  async function beat() {
    const res = await fetch(`/api/v1/presence/${encodeURIComponent(space)}${pagePath() ? `/${encodePath(pagePath())}` : ''}`, { method: 'POST' });
    if (!res.ok) return;
    const others = (await res.json()) as { name: string; since: string }[];
    presence.hidden = others.length === 0;
    presence.textContent = t('othersEditing', { names: others.map((o) => t('since', { name: o.name, time: time.format(Date.parse(o.since)) })).join(', ') });
  }
  void beat();
  setInterval(beat, PRESENCE_EVERY_MS);

  // Uploads: pasted, dropped or picked files go up one by one and land at the cursor as Markdown,
  // each in a paragraph of its own.
  const fileInput = $<HTMLInputElement>('[data-attach-input]');
  $<HTMLButtonElement>('[data-attach]').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => { if (fileInput.files) void attach([...fileInput.files]); fileInput.value = ''; });
  /** A paste or drop with files uploads them instead of the browser opening them (or CodeMirror pasting their names). */
  function withFiles(e: Event, files: FileList | undefined, rename = (f: File) => f): boolean {
    if (!files || files.length === 0) return false;
    e.preventDefault();
    void attach([...files].map(rename));
    return true;
  }
  const uploads = $<HTMLUListElement>('[data-uploads]');
  async function attach(files: File[]): Promise<void> {
    for (const file of files) {
      const item = document.createElement('li');
      const bar = document.createElement('progress');
      bar.setAttribute('aria-label', t('uploading', { name: file.name }));
      item.append(t('uploading', { name: file.name }), bar);
      uploads.append(item);
      try {
        const a = await uploadFile(file, space, pagePath(), (f) => { bar.value = f; });
        const { from, to } = view.state.selection.main;
        const place = ownParagraph(view.state.sliceDoc(Math.max(0, from - 2), from), view.state.sliceDoc(to, to + 2), attachmentMarkdown(a));
        view.dispatch({ changes: { from, to, insert: place.insert }, selection: { anchor: from + place.cursor }, scrollIntoView: true });
        showError('');
      } catch (err) {
        const why = err instanceof UploadRefused ? uploadRefusalText(strings, err.status, err.answer) : (err as Error).message;
        showError(t('uploadFailed', { name: file.name, error: why }));
      } finally {
        item.remove();
      }
    }
  }
}
