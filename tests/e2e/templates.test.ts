// Templates end to end: the API (list, add, change, delete, a new page from one), a new page from
// the picker in Chromium (with and without JavaScript), the space admin's template screen clicked
// through, a new project's starter pages, and screenshots in both languages on desktop and phone.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, signedInPage } from './browser.ts';
import { api, base, signIn } from './http.ts';

const SHOTS = '/tmp/shots-templates';
let browser: Browser;
let admin = '';
let reader = '';
let outsider = '';
beforeAll(async () => {
  browser = await launch();
  admin = (await signIn()).token;
  expect((await api('/api/v1/spaces', { method: 'POST', auth: admin, json: { key: 'tpl-e2e', name: 'Templates lab', visibility: 'restricted' } })).status).toBe(201);
  for (const who of ['tpl.reader', 'tpl.outsider']) {
    expect((await api('/api/v1/users', { method: 'POST', auth: admin, json: { email: `${who}@example.com`, name: who, password: 'a long enough password' } })).status).toBe(201);
  }
  expect((await api('/api/v1/spaces/tpl-e2e/grants', { method: 'PUT', auth: admin, json: [{ user: 'tpl.reader@example.com', role: 'reader' }] })).status).toBe(200);
  reader = (await signIn({ email: 'tpl.reader@example.com', password: 'a long enough password' })).token;
  outsider = (await signIn({ email: 'tpl.outsider@example.com', password: 'a long enough password' })).token;
  fs.mkdirSync(SHOTS, { recursive: true });
});
afterAll(async () => { await browser?.close(); });

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe('the templates API', () => {
  it('lists templates for readers and answers 404 alike for a hidden or missing space', async () => {
    const res = await api('/api/v1/spaces/tpl-e2e/templates', { auth: reader });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { id: string; builtIn: boolean; title: string; titleZh?: string }[];
    expect(list.map((t) => t.id)).toContain('incident-postmortem');
    expect(list.find((t) => t.id === 'policy')).toMatchObject({ title: 'Policy', titleZh: '制度', builtIn: true });
    const hidden = await api('/api/v1/spaces/tpl-e2e/templates', { auth: outsider });
    const missing = await api('/api/v1/spaces/no-such-space/templates', { auth: outsider });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(await hidden.text()).toBe(await missing.text());
    expect((await api('/api/v1/spaces/tpl-e2e/templates/policy', { auth: outsider })).status).toBe(404);
  });

  it('lets the space admin add, change and delete templates; readers get 403', async () => {
    const body = { title: 'Vendor review', titleZh: '供应商评审', description: 'Before a purchase', markdown: '# {{title}}\n\nBy {{author}} on {{date}} in {{space}}.\n' };
    expect((await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: reader, json: body })).status).toBe(403);
    expect((await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: outsider, json: body })).status).toBe(404);
    const created = await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: admin, json: body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await (await api(`/api/v1/spaces/tpl-e2e/templates/${id}`, { auth: reader })).json())).toMatchObject({ ...body, id, builtIn: false });
    const put = await api(`/api/v1/spaces/tpl-e2e/templates/${id}`, { method: 'PUT', auth: admin, json: { ...body, title: 'Vendor check' } });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { title: string }).title).toBe('Vendor check');
    expect((await api('/api/v1/spaces/tpl-e2e/templates/policy', { method: 'PUT', auth: admin, json: body })).status).toBe(422);
    expect((await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: admin, json: { ...body, title: '' } })).status).toBe(400);
    expect((await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: admin, json: { title: 'x' } })).status).toBe(400);

    // A new page from it, through PUT /api/v1/pages.
    const page = await api('/api/v1/pages/tpl-e2e/vendors/acme', { method: 'PUT', auth: admin, json: { template: id, title: 'Acme' } });
    expect(page.status).toBe(201);
    const got = (await (await api('/api/v1/pages/tpl-e2e/vendors/acme', { auth: admin })).json()) as { markdown: string; title: string };
    expect(got.title).toBe('Acme');
    expect(got.markdown).toMatch(/^# Acme\n\nBy Ada Admin|^# Acme\n\nBy .+ on \d{4}-\d{2}-\d{2} in Templates lab\.\n$/);

    expect((await api(`/api/v1/spaces/tpl-e2e/templates/${id}`, { method: 'DELETE', auth: reader })).status).toBe(403);
    expect((await api(`/api/v1/spaces/tpl-e2e/templates/${id}`, { method: 'DELETE', auth: admin })).status).toBe(204);
    expect((await api(`/api/v1/spaces/tpl-e2e/templates/${id}`, { auth: admin })).status).toBe(404);
  });

  it('makes a page from a built-in template; 422 for an unknown template, an existing page, both markdown and template', async () => {
    const title = '{{date}} {{title}}'; // a loop of variables: filled once, kept as typed
    const res = await api('/api/v1/pages/tpl-e2e/incident-1', { method: 'PUT', auth: admin, json: { template: 'incident-postmortem', title } });
    expect(res.status).toBe(201);
    const page = (await (await api('/api/v1/pages/tpl-e2e/incident-1', { auth: admin })).json()) as { title: string; markdown: string; html: string };
    expect(page.title).toBe('{{date}} {{title}}');
    expect(page.markdown).not.toMatch(/^# /m); // the title is the page's only top-level heading
    expect(page.html).toContain('<h2 id="root-cause">Root cause');
    expect((await api('/api/v1/pages/tpl-e2e/incident-1', { method: 'PUT', auth: admin, json: { template: 'policy' } })).status).toBe(422);
    expect((await api('/api/v1/pages/tpl-e2e/x', { method: 'PUT', auth: admin, json: { template: 'nope' } })).status).toBe(422);
    expect((await api('/api/v1/pages/tpl-e2e/x', { method: 'PUT', auth: admin, json: { template: 'policy', markdown: 'x' } })).status).toBe(400);
    expect((await api('/api/v1/pages/tpl-e2e/x', { method: 'PUT', auth: reader, json: { template: 'policy' } })).status).toBe(403);
    expect((await api('/api/v1/pages/tpl-e2e/x', { auth: admin })).status).toBe(404);
  });

  it('gives a new project the starter pages', async () => {
    expect((await api('/api/v1/projects', { method: 'POST', auth: admin, json: { key: 'TPLX', name: 'Template project' } })).status).toBe(201);
    for (const p of ['', 'plan', 'reviews', 'retrospective']) {
      const res = await api(`/api/v1/pages/tplx/${p}`, { auth: admin });
      expect(res.status, p).toBe(200);
    }
    const plan = (await (await api('/api/v1/pages/tplx/plan', { auth: admin })).json()) as { title: string; markdown: string };
    expect(plan.title).toBe('Project plan');
    expect(plan.markdown).toContain('Project: Template project (TPLX)');
    for (const p of ['', 'plan', 'reviews', 'retrospective']) {
      const shown = await api(`/s/tplx/${p}`, { auth: admin });
      expect((await shown.text()).match(/<h1[ >]/g), p).toHaveLength(1); // the title, not again in the body
    }
  });
});

describe('in Chromium', () => {
  it('fills the New page form from the picker, saves it, and works without JavaScript', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await signedInPage(browser);
      if (!javaScriptEnabled) {
        const context = await browser.newContext({ baseURL: base(), javaScriptEnabled: false, storageState: await page.context().storageState() });
        await page.context().close();
        const noJs = await context.newPage();
        await runPicker(noJs, 'retro-nojs', 'Retro without JS', false);
        await context.close();
      } else {
        await runPicker(page, 'retro-js', 'Retro with JS', true);
        await page.context().close();
      }
    }
  });

  async function runPicker(page: Page, slug: string, title: string, js: boolean) {
    await page.goto('/s/tpl-e2e?new');
    await page.locator('select[name=template]').selectOption('retrospective');
    // With JavaScript the page has one title field, the editor's, which goes with the choice; without, the picker has its own.
    expect(await page.getByLabel('Page title (optional)').count()).toBe(js ? 0 : 1);
    await (js ? page.locator('form[data-editor] input[name=title]') : page.getByLabel('Page title (optional)')).fill(title);
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Use template' }).click()]);
    expect(new URL(page.url()).searchParams.get('template')).toBe('retrospective');
    expect(await page.getByRole('status').first().textContent()).toContain('Retrospective');
    expect(await page.locator('form.form input[name=title]').inputValue()).toBe(title);
    const markdown = await page.locator('textarea[name=markdown]').inputValue();
    expect(markdown).not.toMatch(/^# /m); // the page title is the page's only top-level heading
    expect(markdown).toContain('## What went well');
    expect(markdown).not.toContain('{{');
    await page.locator('form.form input[name=path]').fill(slug);
    await Promise.all([page.waitForURL(`**/s/tpl-e2e/${slug}`), page.getByRole('button', { name: 'Save', exact: true }).click()]);
    expect(await page.locator('h1').allTextContents()).toEqual([title]);
    expect(await page.locator('h2#what-went-well').count()).toBe(1);
  }

  it('says so for an unknown template and leaves the form blank', async () => {
    const page = await signedInPage(browser);
    await page.goto('/s/tpl-e2e?new&template=nope');
    expect(await page.getByRole('alert').textContent()).toContain('No template "nope"');
    expect((await page.locator('textarea[name=markdown]').inputValue()).trim()).toBe('');
    await page.context().close();
  });

  it('offers the weekly delivery report (a project\'s charts) only in a project\'s space', async () => {
    const page = await signedInPage(browser);
    const report = page.locator('select[name=template] option[value=weekly-report]');
    await page.goto('/s/tpl-e2e?new');
    expect(await report.count()).toBe(0);
    await page.goto('/s/tpl-e2e?new&template=weekly-report');
    expect(await page.getByRole('alert').textContent()).toContain('No template "weekly-report"');
    await page.goto('/s/tplx?new'); // project TPLX's space
    expect(await report.count()).toBe(1);
    await page.locator('select[name=template]').selectOption('weekly-report');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Use template' }).click()]);
    expect(await page.locator('textarea[name=markdown]').inputValue()).toContain('project: TPLX');
    await page.context().close();
  });

  it('lets the space admin add, edit and delete a template on the space settings page', async () => {
    const page = await signedInPage(browser);
    page.on('dialog', (d) => void d.accept());
    await page.goto('/admin/spaces/tpl-e2e');
    const form = page.locator('#template-form');
    await form.getByLabel('Title (English)').fill('Onboarding checklist');
    await form.getByLabel('Title (Chinese)').fill('入职清单');
    await form.getByLabel('Description').fill('For a new colleague');
    await form.getByLabel('Body (Markdown)').fill('# {{title}}\n\n- [ ] Laptop for {{author}}\n');
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Add template' }).click()]);
    expect(await page.getByRole('status').first().textContent()).toBe('Template saved.');
    expect(await page.getByTestId('templates').textContent()).toContain('Onboarding checklist');

    await page.getByRole('link', { name: 'Edit: Onboarding checklist' }).click();
    await page.waitForURL(/template=/);
    expect(await form.getByLabel('Title (English)').inputValue()).toBe('Onboarding checklist');
    expect(await form.getByLabel('Body (Markdown)').inputValue()).toBe('# {{title}}\n\n- [ ] Laptop for {{author}}\n');
    await form.getByLabel('Title (English)').fill('New colleague checklist');
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Save template' }).click()]);
    expect(await page.getByTestId('templates').textContent()).toContain('New colleague checklist');

    // An empty title is refused; what was typed stays.
    await page.getByRole('link', { name: 'Edit: New colleague checklist' }).click();
    await page.waitForURL(/template=/);
    await form.getByLabel('Title (English)').evaluate((el: HTMLInputElement) => { el.removeAttribute('required'); el.value = ' '; });
    await form.getByLabel('Description').fill('kept after the error');
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Save template' }).click()]);
    expect(await page.getByRole('alert').textContent()).toContain('A template needs a title');
    expect(await form.getByLabel('Description').inputValue()).toBe('kept after the error');
    await page.getByRole('link', { name: 'Cancel' }).click();

    // Offered under New page, in the picker, filled for the one who makes the page.
    const list = (await (await api('/api/v1/spaces/tpl-e2e/templates', { auth: admin })).json()) as { id: string; title: string }[];
    const mine = list.find((t) => t.title === 'New colleague checklist')!;
    await page.goto(`/s/tpl-e2e?new&template=${mine.id}`);
    expect(await page.locator('textarea[name=markdown]').inputValue()).toMatch(/- \[ \] Laptop for \S/);

    await page.goto('/admin/spaces/tpl-e2e');
    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Delete: New colleague checklist' }).click()]);
    expect(await page.getByRole('status').first().textContent()).toBe('Template deleted.');
    expect(await page.getByTestId('templates').count()).toBe(0);
    await page.context().close();
  });

  it('takes screenshots of the picker and the admin screen in both languages on desktop and phone', async () => {
    expect((await api('/api/v1/spaces/tpl-e2e/templates', { method: 'POST', auth: admin, json: { title: 'Design doc', titleZh: '设计文档', description: 'Context, options, decision', markdown: '# {{title}}\n' } })).status).toBe(201);
    for (const [locale, lang] of [['en-US', 'en'], ['zh-CN', 'zh']] as const) {
      for (const [device, viewport] of [['desktop', { width: 1280, height: 800 }], ['phone', { width: 390, height: 844 }]] as const) {
        const page = await signedInPage(browser, { locale, viewport });
        await page.goto('/s/tpl-e2e?new&template=weekly-status');
        await shot(page, `picker-${lang}-${device}`);
        await page.goto('/admin/spaces/tpl-e2e');
        await shot(page, `admin-${lang}-${device}`);
        await page.context().close();
      }
    }
  });
});
