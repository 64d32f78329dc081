// UI strings for a group's lead (the desk's escalations go to the queue group's lead), in both languages.
const en = {
  'groups.lead': 'Lead',
  'groups.leadShown': 'lead: {email}',
  'groups.leadHelp': 'Hears when an item in this group’s queue passes its first-response or resolution deadline. An email; empty for no lead (the project owner hears instead).',
  'groups.saveLead': 'Save lead',
  'groups.noLead': 'No lead',
};

export const groupLeadMessages = { en, zh: {
  'groups.lead': '负责人',
  'groups.leadShown': '负责人：{email}',
  'groups.leadHelp': '该组队列中的事项超过首次响应或解决时限时会通知负责人。填写邮箱；留空表示没有负责人（改为通知项目负责人）。',
  'groups.saveLead': '保存负责人',
  'groups.noLead': '没有负责人',
} satisfies Record<keyof typeof en, string> };
