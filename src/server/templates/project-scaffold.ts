// A new project's space starts with pages made from the built-in templates: a home page, the
// project plan, a folder for requirement reviews (its index page) and a retrospective. They are
// rendered first, then saved in the transaction that creates the project: all or nothing.
import type { Viewer } from '../access/index.ts';
import type { Lang } from '../../i18n/index.ts';
import { wakeOutbox } from '../outbox.ts';
import { renderPool } from '../pages/render-pool.ts';
import { validateSave, type PreparedSave } from '../pages/save-page.ts';
import { createProject, validateNewProject, type NewProject, type Project } from '../projects/projects.ts';
import { BUILTIN_TEMPLATES } from './builtin.ts';
import { fillTemplate, today, type TemplateVariables } from './templates.ts';

const HOME = {
  en: `Welcome to the project space of {{project}}, set up by {{author}} on {{date}}.

- [[Project plan]]: goals, scope, milestones and risks.
- [[Requirement reviews]]: one page per review meeting.
- [[Retrospective]]: what we learned.
- [Requirements](/p/{{key}}): the project's requirement tracker.

Add pages with **New page**; it offers templates for meeting notes, weekly status reports and more.
`,
  zh: `欢迎来到 {{project}} 的项目空间，由 {{author}} 于 {{date}} 创建。

- [[项目计划]]：目标、范围、里程碑与风险。
- [[需求评审]]：每次评审会一页。
- [[复盘]]：我们学到的经验。
- [需求](/p/{{key}})：项目的需求跟踪。

用 **新建页面** 添加页面，可选择会议纪要、周报等模板。
`,
};

const REVIEWS = {
  en: `The requirement reviews of {{project}}, one page each, below this page.
To add one, open **New page** here and choose the **Requirement review** template.
`,
  zh: `{{project}} 的需求评审记录，每次评审一页，放在本页之下。
新增评审：在本页点击 **新建页面**，选择 **需求评审** 模板。
`,
};

const body = (id: string, zh: boolean) => {
  const t = BUILTIN_TEMPLATES.find((b) => b.id === id)!;
  return { title: zh ? t.titleZh : t.title, markdown: zh ? t.zh : t.en };
};

/** The starter pages' paths, titles and bodies in `lang` (variables not yet filled). */
export function starterPages(lang: Lang): { path: string; title: string; markdown: string }[] {
  const zh = lang === 'zh-CN';
  return [
    { path: '', title: '', markdown: zh ? HOME.zh : HOME.en },
    { path: 'plan', ...body('project-plan', zh) },
    { path: 'reviews', title: zh ? '需求评审' : 'Requirement reviews', markdown: zh ? REVIEWS.zh : REVIEWS.en },
    { path: 'retrospective', ...body('retrospective', zh) },
  ];
}

/** Creates the project (createProject's rules and checks) with its space's starter pages. */
export async function createProjectWithPages(viewer: Viewer | null, input: NewProject, lang: Lang): Promise<Project> {
  const { key, name } = validateNewProject(viewer, input);
  const project = `${name} (${key})`;
  const base: Omit<TemplateVariables, 'title'> = { date: today(), author: viewer?.name ?? '', project, key, space: name };
  const prepared: PreparedSave[] = [];
  for (const page of starterPages(lang)) {
    const title = page.title || name;
    const markdown = fillTemplate(page.markdown, { ...base, title });
    const valid = validateSave({ space: key.toLowerCase(), path: page.path, title, markdown });
    prepared.push({ ...valid, rendered: await renderPool().render(key.toLowerCase(), valid.markdown, { owner: viewer!.id }) });
  }
  const created = createProject(viewer, input, prepared);
  wakeOutbox();
  return created;
}
