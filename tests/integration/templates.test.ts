import { beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../src/server/access/index.ts';
import { setGrants } from '../../src/server/admin/grants.ts';
import { listAudit } from '../../src/server/admin/audit.ts';
import { viewPage } from '../../src/server/pages/get-page.ts';
import { savePage } from '../../src/server/pages/save-page.ts';
import { spaceNav } from '../../src/server/pages/tree.ts';
import { BUILTIN_TEMPLATES } from '../../src/server/templates/builtin.ts';
import { savePageFromTemplate } from '../../src/server/templates/new-page.ts';
import { createProjectWithPages } from '../../src/server/templates/project-scaffold.ts';
import {
  createTemplate, deleteTemplate, fillTemplate, findTemplate, getTemplate, listTemplates, today, updateTemplate,
} from '../../src/server/templates/templates.ts';
import { findSpace } from '../../src/server/spaces/spaces.ts';
import { failure, freshEnvironment } from './setup-env.ts';

let admin: Viewer;
let member: Viewer;
beforeAll(async () => ({ admin, member } = await freshEnvironment('templates')));

const vars = { title: 'T', date: '2026-12-02', author: 'Ada', project: 'Payments (PAY)', space: 'Payments' };

describe('filling variables', () => {
  it('fills every known variable, leaves unknown ones as they are', () => {
    expect(fillTemplate('{{title}} on {{ date }} by {{author}} for {{project}} in {{space}}; {{unknown}} {{TITLE}}', vars))
      .toBe('T on 2026-12-02 by Ada for Payments (PAY) in Payments; {{unknown}} {{TITLE}}');
  });

  it('fills once: a value that looks like a variable is never expanded (a loop of variables ends at once)', () => {
    const looping = { ...vars, title: '{{date}} {{title}}', author: '{{author}}{{author}}' };
    expect(fillTemplate('# {{title}}\n{{author}}', looping)).toBe('# {{date}} {{title}}\n{{author}}{{author}}');
  });

  it('refuses a page that would be larger than a page may be (413), instead of building it', async () => {
    const big = '{{title}}'.repeat(10_000);
    expect((await failure(() => fillTemplate(big, { ...vars, title: 'x'.repeat(300) }))).status).toBe(413);
  });
});

describe('the templates of a space', () => {
  it('lists the eight built-in ones with both titles for any reader, 404 for a space one may not read', async () => {
    const list = listTemplates(member, 'eng', 'en');
    expect(list.filter((t) => t.builtIn).map((t) => t.id)).toEqual([
      'project-plan', 'requirement-review', 'retrospective', 'weekly-status', 'meeting-notes', 'incident-postmortem', 'it-howto', 'policy',
    ]);
    // The weekly delivery report draws a project's charts: a space without a project neither lists nor makes it.
    expect(findTemplate(findSpace('eng')!, 'weekly-report', 'en')).toBeUndefined();
    expect((await failure(() => savePageFromTemplate(member, { space: 'eng', path: 'weekly', template: 'weekly-report' }, 'en'))).status).toBe(422);
    expect(list[0]).toMatchObject({ title: 'Project plan', titleZh: '项目计划', builtIn: true });
    expect(listTemplates(member, 'eng', 'zh-CN')[0]!.description).toContain('里程碑');
    setGrants(admin, 'hr', [{ user: 'admin@example.com', role: 'admin' }]);
    await savePage(admin, { space: 'hr', path: '', title: 'HR', markdown: 'x' });
    expect((await failure(() => listTemplates(member, 'nope', 'en'))).status).toBe(404);
  });

  it('lets a space admin add, change and delete its own, and no one else', async () => {
    expect((await failure(() => createTemplate(member, 'eng', { title: 'Mine', markdown: 'x' }))).status).toBe(403);
    const made = createTemplate(admin, 'eng', { title: 'Design doc', titleZh: '设计文档', description: 'For designs', markdown: '# {{title}}\r\n\n## Context\n' });
    expect(made).toMatchObject({ title: 'Design doc', titleZh: '设计文档', builtIn: false, markdown: '# {{title}}\n\n## Context\n' });
    expect(listTemplates(member, 'eng', 'en').at(-1)).toEqual({ id: made.id, title: 'Design doc', titleZh: '设计文档', description: 'For designs', builtIn: false });
    // Another space does not see it, nor reach it by id.
    expect(listTemplates(admin, 'hr', 'en').some((t) => t.id === made.id)).toBe(false);
    expect((await failure(() => getTemplate(admin, 'hr', made.id, 'en'))).status).toBe(404);

    const changed = updateTemplate(admin, 'eng', made.id, { title: 'Design document', markdown: 'new body' });
    expect(changed).toMatchObject({ id: made.id, title: 'Design document', markdown: 'new body' });
    expect(changed.titleZh).toBeUndefined();
    expect((await failure(() => updateTemplate(admin, 'eng', 'project-plan', { title: 'x', markdown: 'y' }))).status).toBe(422);
    expect((await failure(() => deleteTemplate(admin, 'eng', 'project-plan'))).status).toBe(422);
    expect((await failure(() => deleteTemplate(member, 'eng', made.id))).status).toBe(403);
    deleteTemplate(admin, 'eng', made.id);
    expect((await failure(() => getTemplate(admin, 'eng', made.id, 'en'))).status).toBe(404);
    expect((await failure(() => deleteTemplate(admin, 'eng', made.id))).status).toBe(404);
    expect(listAudit(admin, {}).map((e) => e.action)).toEqual(expect.arrayContaining(['template.create', 'template.update', 'template.delete']));
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    const before = listTemplates(admin, 'eng', 'en').length;
    for (const input of [
      { title: '', markdown: 'x' },
      { title: 'x'.repeat(121), markdown: 'x' },
      { title: 'a\u0007b', markdown: 'x' },
      { title: 'ok', titleZh: '\u0000', markdown: 'x' },
      { title: 'ok', description: 'd'.repeat(301), markdown: 'x' },
      { title: 'ok', markdown: 'x'.repeat(300 * 1024) },
    ]) {
      const status = (await failure(() => createTemplate(admin, 'eng', input))).status;
      expect(status >= 400 && status < 500).toBe(true);
    }
    expect(listTemplates(admin, 'eng', 'en')).toHaveLength(before);
  });
});

describe('a new page from a template', () => {
  it('gets the body of the maker\'s language with the variables filled', async () => {
    const saved = await savePageFromTemplate(member, { space: 'eng', path: 'retro-q4', template: 'retrospective', title: 'Q4 retro' }, 'en');
    expect(saved).toMatchObject({ created: true, revision: 1 });
    const page = viewPage(member, 'eng', 'retro-q4', { markdown: true });
    expect(page.page.title).toBe('Q4 retro');
    expect(page.markdown).not.toMatch(/^# /m); // the title is the page's only top-level heading
    expect(page.markdown).toContain(`Date: ${today()} · Facilitator: 李雷`);
    expect(page.markdown).toContain('Project: Engineering'); // no project: the space
    expect(page.markdown).not.toContain('{{');

    await savePageFromTemplate(member, { space: 'eng', path: 'notes', template: 'meeting-notes' }, 'zh-CN');
    const zh = viewPage(member, 'eng', 'notes', { markdown: true });
    expect(zh.page.title).toBe('会议纪要');
    expect(zh.markdown).toContain('记录人：李雷');
  });

  it('keeps a title that looks like a variable as typed (no second expansion)', async () => {
    await savePageFromTemplate(member, { space: 'eng', path: 'loop', template: 'meeting-notes', title: '{{date}} {{title}}' }, 'en');
    expect(viewPage(member, 'eng', 'loop').page.title).toBe('{{date}} {{title}}');
  });

  it('answers 422 for an unknown template or an existing page, 403/404 without edit rights, and saves nothing', async () => {
    expect((await failure(() => savePageFromTemplate(member, { space: 'eng', path: 'x1', template: 'no-such' }, 'en'))).status).toBe(422);
    expect((await failure(() => savePageFromTemplate(member, { space: 'eng', path: 'x2', template: '99999' }, 'en'))).status).toBe(422);
    expect((await failure(() => savePageFromTemplate(member, { space: 'eng', path: 'retro-q4', template: 'policy' }, 'en'))).status).toBe(422);
    expect((await failure(() => savePageFromTemplate(member, { space: 'hr', path: 'x3', template: 'policy' }, 'en'))).status).toBe(403);
    expect((await failure(() => savePageFromTemplate(member, { space: 'nope', path: 'x4', template: 'policy' }, 'en'))).status).toBe(404);
    expect(viewPage(member, 'eng', 'retro-q4', { markdown: true }).page.revision).toBe(1);
    for (const path of ['x1', 'x2']) expect((await failure(() => viewPage(member, 'eng', path))).status).toBe(404);
  });
});

describe('a new project', () => {
  it('starts with a home page, a plan, a requirement-review folder and a retrospective made from the templates', async () => {
    const project = await createProjectWithPages(admin, { key: 'PAY', name: 'Payments', owner: 'li.lei@example.com' }, 'en');
    expect(project.key).toBe('PAY');
    expect(spaceNav(admin, 'pay', '').nodes.map((n) => n.path).sort()).toEqual(['plan', 'retrospective', 'reviews']);
    const home = viewPage(member, 'pay', '', { markdown: true });
    expect(home.page.title).toBe('Payments');
    expect(home.markdown).toContain('[[Project plan]]');
    expect(home.html).toContain('href="/p/PAY"');
    const plan = viewPage(member, 'pay', 'plan', { markdown: true });
    expect(plan.page.title).toBe('Project plan');
    expect(plan.markdown).toContain('> Project: Payments (PAY) · Owner: Ada Admin');
    expect(viewPage(member, 'pay', 'reviews').page.title).toBe('Requirement reviews');
    expect(viewPage(member, 'pay', 'retrospective', { markdown: true }).markdown).toContain('## What went well');
    expect(listTemplates(member, 'pay', 'en').filter((t) => t.builtIn).map((t) => t.id)).toContain('weekly-report'); // and a ninth, its charts
    for (const path of ['', 'plan', 'reviews', 'retrospective']) {
      expect(viewPage(member, 'pay', path, { markdown: true }).markdown, path).not.toMatch(/^# /m); // the title is the only H1
    }
    // The space's templates make the next review below the folder.
    await savePageFromTemplate(admin, { space: 'pay', path: 'reviews/sprint-1', template: 'requirement-review', title: 'Sprint 1 review' }, 'en');
    expect(viewPage(member, 'pay', 'reviews/sprint-1', { markdown: true }).markdown).toContain('Project: Payments (PAY)');
  });

  it('in Chinese, with Chinese pages; a refused project leaves no pages', async () => {
    await createProjectWithPages(admin, { key: 'HRX', name: '人事项目' }, 'zh-CN');
    expect(viewPage(admin, 'hrx', 'plan').page.title).toBe('项目计划');
    expect(viewPage(admin, 'hrx', '', { markdown: true }).markdown).toContain('[[需求评审]]');
    // A project name that looks like variables is filled in once, as written.
    await createProjectWithPages(admin, { key: 'LOOP', name: 'Loop {{key}} {{date}}' }, 'en');
    expect(viewPage(admin, 'loop', '', { markdown: true }).markdown).toMatch(/^Welcome to the project space of Loop \{\{key\}\} \{\{date\}\} \(LOOP\),/);
    expect((await failure(() => createProjectWithPages(admin, { key: 'PAY', name: 'Again' }, 'en'))).status).toBe(409);
    expect((await failure(() => createProjectWithPages(member, { key: 'MEM', name: 'Not mine' }, 'en'))).status).toBe(403);
    expect((await failure(() => viewPage(admin, 'mem', ''))).status).toBe(404);
  });
});

it('has a useful body in both languages for every built-in template', () => {
  for (const t of BUILTIN_TEMPLATES) {
    for (const body of [t.en, t.zh]) {
      expect(body).not.toMatch(/^# /m); // the page's title is its only top-level heading
      expect(body.match(/^## /gm)?.length ?? 0).toBeGreaterThanOrEqual(3);
      expect(body.includes('|') || body.includes('- [ ]')).toBe(true);
      // Every table names its columns (a header row of empty cells reads as a blank bar).
      const headers = body.split('\n').filter((line, i, lines) => line.startsWith('|') && /^\|(?:\s*:?-+:?\s*\|)+$/.test(lines[i + 1] ?? ''));
      for (const header of headers) expect(header.split('|').slice(1, -1).every((cell) => cell.trim() !== ''), `${t.id}: ${header}`).toBe(true);
    }
  }
});
