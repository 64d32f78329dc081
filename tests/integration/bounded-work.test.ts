// Bounded work per request: over-cap pages are refused before any rendering, pathological
// Markdown is answered within the interactive render budget on a worker, and neither blocks the
// server's event loop or another user's save, however many one user sends at once (saves, an
// import, views of an old revision). Real SQLite, real worker threads.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { MAX_LINKS, MAX_REQUIREMENT_KEYS, MAX_WIKI_LINKS } from '../../src/server/markdown/link-caps.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { listRevisions, viewRevision } from '../../src/server/pages/history.ts';
import { INTERACTIVE_TIME_LIMIT_MS, renderPool } from '../../src/server/pages/render-pool.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { createProject } from '../../src/server/projects/projects.ts';
import { importRequirements } from '../../src/server/requirements/csv-import.ts';
import { editRequirement } from '../../src/server/requirements/edit.ts';
import { submitRequirement } from '../../src/server/requirements/submit.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
beforeAll(async () => {
  ({ admin, member } = await freshEnvironment('bounded'));
  createProject(admin, { key: 'PAY', name: 'Payments' });
  setGrants(admin, 'pay', [{ user: member.email, role: 'editor' }]);
});

/** Both interactive workers loaded and free, as in a server that has been up a while. */
async function warmPool(): Promise<void> {
  while (renderPool().stats().idle < 2) await new Promise((r) => setTimeout(r, 50));
}

/** The longest the event loop was late for a 20 ms tick while `work` ran. */
async function maxLag<T>(work: () => Promise<T>): Promise<{ result: T; lag: number; ms: number }> {
  let lag = 0;
  let last = performance.now();
  const tick = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 20);
    last = now;
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    return { result, lag, ms: performance.now() - started };
  } finally {
    clearInterval(tick);
  }
}

// This machine is shared and often loaded: a tick can be late for reasons of its own, but not by seconds.
const LAG_MS = 1000;
const keys = (n: number) => Array.from({ length: n }, (_, i) => `PAY-${i + 1}`).join(' ');
const missing = (path: string) => failure(() => viewPage(admin, 'eng', path)).then((e) => e.status);

describe('caps on links, keys and mentions', () => {
  it('refuses a page of 100,000 requirement keys with 422 in well under 2 s, saving nothing', async () => {
    await warmPool();
    const { result: error, ms, lag } = await maxLag(() => failure(() => savePage(admin, { space: 'eng', path: 'keys', markdown: keys(100_000) })));
    expect(error.status).toBe(422);
    expect(error.message).toBe(`A page may mention at most ${MAX_REQUIREMENT_KEYS} requirement keys`);
    expect(ms).toBeLessThan(2000);
    expect(lag).toBeLessThan(LAG_MS);
    expect(await missing('keys')).toBe(404);
  });

  it('refuses 100,000 wiki links and 20,000 URLs, naming the cap', async () => {
    const wiki = Array.from({ length: 100_000 }, (_, i) => `[[Page ${i}]]`).join(' ');
    expect((await failure(() => savePage(admin, { space: 'eng', path: 'wiki', markdown: wiki }))).message).toBe('A page may link to at most 1,000 pages');
    const urls = Array.from({ length: 20_000 }, (_, i) => `https://example.com/${i}`).join('\n');
    const error = await failure(() => savePage(admin, { space: 'eng', path: 'urls', markdown: urls }));
    expect([error.status, error.message]).toEqual([422, 'A page may hold at most 10,000 links, URLs and requirement keys in all']);
    expect([await missing('wiki'), await missing('urls')]).toEqual([404, 404]);
  });

  it('accepts a page exactly at the caps, and one more is refused', async () => {
    const atCap = [
      Array.from({ length: MAX_WIKI_LINKS }, (_, i) => `[[Page ${i}]]`).join(' '),
      keys(MAX_REQUIREMENT_KEYS),
      Array.from({ length: MAX_LINKS - MAX_WIKI_LINKS - MAX_REQUIREMENT_KEYS }, (_, i) => `[x](/y/${i})`).join(' '),
    ].join('\n\n');
    const saved = await savePage(admin, { space: 'eng', path: 'at-cap', markdown: atCap });
    expect(saved.created).toBe(true);
    const over = await failure(() => savePage(admin, { space: 'eng', path: 'at-cap', markdown: `${atCap} [[One more]]`, baseRevision: 1 }));
    expect(over.status).toBe(422);
    expect(listRevisions(admin, 'eng', 'at-cap')).toHaveLength(1);
  });

  it('applies the same caps to requirement descriptions, on submit and on edit', async () => {
    const refused = await failure(() => submitRequirement(admin, 'PAY', { title: 'Many keys', category: 'feature', description: keys(20_000) }));
    expect([refused.status, refused.message]).toEqual([422, `A requirement description may mention at most ${MAX_REQUIREMENT_KEYS} requirement keys`]);
    const req = await submitRequirement(admin, 'PAY', { title: 'Fine', category: 'feature', description: 'See PAY-1.' });
    expect(req.key).toBe('PAY-1'); // the refused one took no number
    expect((await failure(() => editRequirement(admin, req.key, { description: keys(20_000) }))).status).toBe(422);
  });
});

describe('pathological Markdown within the render budget', () => {
  const budget = INTERACTIVE_TIME_LIMIT_MS;
  const hostile: [string, string][] = [
    ['100,000 emphasis markers', '*a '.repeat(100_000)],
    ['100,000 unclosed links', '[a '.repeat(100_000)],
    ['50,000 nested brackets', '['.repeat(50_000) + 'x' + ']'.repeat(50_000)],
  ];
  beforeEach(warmPool);
  afterEach(() => expect(renderPool().stats().workers).toBeLessThanOrEqual(4));

  // Rendered or, when over the budget (as on a loaded machine), shown as escaped text: either way
  // answered within the budget and with nothing lost.
  const renderedOrText = (html: string) => expect(html.startsWith('<pre class="markdown-fallback">') || html.startsWith('<p>')).toBe(true);

  it.each(hostile)('%s: saved within the budget, losing nothing, the event loop free', async (name, markdown) => {
    const path = `hostile-${name.replace(/\W+/g, '-')}`;
    const { result, ms, lag } = await maxLag(() => savePage(admin, { space: 'eng', path, markdown }));
    expect(result.created).toBe(true);
    expect(ms).toBeLessThan(budget + 2000);
    expect(lag).toBeLessThan(LAG_MS);
    const view = viewPage(admin, 'eng', path, { markdown: true });
    expect(view.markdown).toBe(markdown);
    renderedOrText(view.page.html);
    // An old revision is rendered on the pool too, not on the server's thread.
    const old = await maxLag(() => viewRevision(admin, 'eng', path, 1, 'en'));
    renderedOrText(old.result.html);
    expect(old.lag).toBeLessThan(LAG_MS);
  });

  it("a normal save finishes in under 1 s while another user's pathological save renders", async () => {
    const slow = savePage(member, { space: 'eng', path: 'hostile-concurrent', markdown: '*a '.repeat(100_000) });
    await new Promise((r) => setTimeout(r, 100)); // the pathological one is on a worker first
    const started = performance.now();
    const normal = await savePage(admin, { space: 'eng', path: 'normal-concurrent', markdown: '# Hello\n\nA normal page with a [[Link]] and PAY-1.' });
    const normalMs = performance.now() - started;
    expect(normal.created).toBe(true);
    // Under 1 s on a quiet machine (0.4–0.7 s measured at load 10–27 outside vitest); queued behind
    // the other it would take the whole budget.
    expect(normalMs).toBeLessThan(1500);
    expect(viewPage(admin, 'eng', 'normal-concurrent').page.html).toContain('<h1');
    const slowMs = performance.now() - started;
    await slow;
    expect(performance.now() - started).toBeGreaterThan(slowMs); // it was still running when the normal one was done
  });
});

describe("one user's hard renders never hold up another user's save", () => {
  beforeEach(warmPool);

  /** How long the admin's ordinary save takes while `hostile` (the member's) runs; then waits for it. */
  async function normalSaveDuring(hostile: () => Promise<unknown>[], path: string): Promise<number> {
    const running = hostile();
    await new Promise((r) => setTimeout(r, 100)); // the hostile renders are on the workers first
    const started = performance.now();
    await savePage(admin, { space: 'eng', path, markdown: '# Hello\n\nAn ordinary page.' });
    const ms = performance.now() - started;
    await Promise.all(running);
    return ms;
  }

  it('eight pathological saves at once', async () => {
    const ms = await normalSaveDuring(() => Array.from({ length: 8 }, (_, i) =>
      savePage(member, { space: 'eng', path: `fair-hostile-${i}`, markdown: '_a '.repeat(100_000) })), 'fair-normal-1');
    // Queued behind them it took 10–12 s (red-team audit); each user now has one render running at a time.
    expect(ms).toBeLessThan(2000);
  }, 60_000);

  it('an import whose descriptions are pathological', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => `imp${i},"${'*a'.repeat(50_000)}",feature`);
    const ms = await normalSaveDuring(() => [importRequirements(member, 'PAY', { csv: `title,description,category\n${rows.join('\n')}` })], 'fair-normal-2');
    expect(ms).toBeLessThan(2000);
  }, 60_000);

  it('views of a pathological old revision: rendered once, not on every view', async () => {
    await savePage(member, { space: 'eng', path: 'fair-old', markdown: '_a '.repeat(100_000) });
    await savePage(member, { space: 'eng', path: 'fair-old', markdown: 'Fixed.', baseRevision: 1 });
    await warmPool(); // the worker stopped at the first save's time limit is back
    const views = () => Array.from({ length: 8 }, () => viewRevision(member, 'eng', 'fair-old', 1, 'en'));
    const renders = vi.spyOn(renderPool(), 'render');
    try {
      expect(await normalSaveDuring(views, 'fair-normal-3')).toBeLessThan(2000);
      expect(renders).toHaveBeenCalledTimes(2); // the eight views' one render, and the ordinary save
      const again = await Promise.all(views());
      expect(renders).toHaveBeenCalledTimes(2);
      expect(new Set(again.map((v) => v.html)).size).toBe(1);
    } finally {
      renders.mockRestore();
    }
  }, 60_000);
});
