// The audit log's actions, named in both languages (the log stores the code: /admin/audit shows
// the name, with the code beside it for searching). Every action appended is one of these: the
// type of appendAudit's `action` (src/server/admin/audit.ts).
export const auditActionNames = {
  'user.create': { en: 'Added a user', zh: '添加用户' },
  'user.update': { en: 'Changed a user', zh: '修改用户' },
  'user.password-reset': { en: 'Reset a password', zh: '重置密码' },
  'user.handover': { en: 'Handed over a person’s work', zh: '移交工作' },
  'group.create': { en: 'Created a group', zh: '创建用户组' },
  'group.members': { en: 'Changed a group’s members', zh: '修改用户组成员' },
  'group.lead': { en: 'Changed a group’s lead', zh: '修改用户组负责人' },
  'space.create': { en: 'Created a space', zh: '创建空间' },
  'space.update': { en: 'Changed a space’s settings', zh: '修改空间设置' },
  'space.grants': { en: 'Changed who may use a space', zh: '修改空间权限' },
  'space.archive': { en: 'Archived a space', zh: '归档空间' },
  'space.unarchive': { en: 'Brought a space back from the archive', zh: '取消归档空间' },
  'space.export': { en: 'Exported a space', zh: '导出空间' },
  'space.import': { en: 'Imported pages', zh: '导入页面' },
  'space.import.cut': { en: 'An import was cut off', zh: '导入被中断' },
  'space.import.kept': { en: 'Kept an interrupted import’s pages', zh: '保留中断导入的页面' },
  'space.delete': { en: 'Deleted a space', zh: '删除空间' },
  'page.move': { en: 'Moved a page', zh: '移动页面' },
  'page.delete': { en: 'Deleted a page', zh: '删除页面' },
  'page.restore': { en: 'Restored a deleted page', zh: '恢复已删除的页面' },
  'page.ownership': { en: 'Changed a page’s owner or review', zh: '修改页面负责人或复核' },
  'page.handover': { en: 'Handed over a page', zh: '移交页面' },
  'project.create': { en: 'Created a project', zh: '创建项目' },
  'project.owner': { en: 'Changed a project’s owner', zh: '修改项目负责人' },
  'project.rules': { en: 'Changed routing rules', zh: '修改分派规则' },
  'project.categories': { en: 'Changed categories and workflows', zh: '修改类别与流程' },
  'project.phase': { en: 'Moved a project to another phase', zh: '变更项目阶段' },
  'project.phases': { en: 'Changed a project’s phases', zh: '修改项目阶段设置' },
  'project.sla': { en: 'Changed response and resolution times', zh: '修改响应与解决时限' },
  'project.confirm-days': { en: 'Changed the days to confirm a resolution', zh: '修改确认解决的天数' },
  'project.tag-aliases': { en: 'Changed tag aliases', zh: '修改标签别名' },
  'template.create': { en: 'Created a template', zh: '创建模板' },
  'template.update': { en: 'Changed a template', zh: '修改模板' },
  'template.delete': { en: 'Deleted a template', zh: '删除模板' },
  'webhook.create': { en: 'Added a webhook', zh: '添加 Webhook' },
  'webhook.update': { en: 'Changed a webhook', zh: '修改 Webhook' },
  'webhook.delete': { en: 'Deleted a webhook', zh: '删除 Webhook' },
  'webhook.resend': { en: 'Sent a webhook delivery again', zh: '重新发送 Webhook' },
  'search.synonyms': { en: 'Changed search synonyms', zh: '修改搜索同义词' },
} as const satisfies Record<string, { en: string; zh: string }>;

export type AuditAction = keyof typeof auditActionNames;

/** An action's name in `lang`; a code the log holds from an older version: the code itself. */
export function auditActionName(action: string, lang: string): string {
  const name = (auditActionNames as Record<string, { en: string; zh: string } | undefined>)[action];
  return name ? (lang.startsWith('zh') ? name.zh : name.en) : action;
}
