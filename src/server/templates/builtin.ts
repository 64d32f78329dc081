// The built-in templates, offered in every space beside the space's own. Each has a body in
// English and one in Chinese; a page made from one gets the body of the maker's language.
// Variables ({{title}}, {{date}}, {{author}}, {{project}}, {{key}}: the project's key, {{space}}) are filled when the page is
// made (fillTemplate in templates.ts). Code blocks use ~~~ fences so the bodies can live in template literals. Bodies have no
// `# ` heading: the page shows its title as its only top-level heading.

export interface BuiltinTemplate {
  id: string;
  title: string;
  titleZh: string;
  description: string;
  descriptionZh: string;
  en: string;
  zh: string;
  /** Its body draws the project's charts: offered only in a project's space. */
  projectOnly?: true;
}

export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    id: 'project-plan',
    title: 'Project plan',
    titleZh: '项目计划',
    description: 'Goals, scope, milestones, people and risks of a project.',
    descriptionZh: '项目的目标、范围、里程碑、人员与风险。',
    en: `> Project: {{project}} · Owner: {{author}} · Last reviewed: {{date}}

## Why
What problem does this project solve, for whom, and how will we know it worked?

## Goals and measures
| Goal | Measure | Target | Today |
| --- | --- | --- | --- |
|  |  |  |  |

## Scope
**In scope**
- 

**Out of scope**
- 

## Milestones
| Milestone | Date | Owner | Done when |
| --- | --- | --- | --- |
| Kick-off | {{date}} | {{author}} | Team and goals agreed |
|  |  |  |  |

## People
| Role | Name |
| --- | --- |
| Owner | {{author}} |
| Sponsor |  |
| Team |  |

## Risks
| Risk | Likelihood | Impact | What we do about it |
| --- | --- | --- | --- |
|  |  |  |  |

## Open questions
- [ ] 
`,
    zh: `> 项目：{{project}} · 负责人：{{author}} · 最近评审：{{date}}

## 为什么做
这个项目为谁解决什么问题？怎样判断它成功了？

## 目标与衡量
| 目标 | 衡量方式 | 目标值 | 现状 |
| --- | --- | --- | --- |
|  |  |  |  |

## 范围
**范围内**
- 

**范围外**
- 

## 里程碑
| 里程碑 | 日期 | 负责人 | 完成标准 |
| --- | --- | --- | --- |
| 启动 | {{date}} | {{author}} | 团队与目标达成一致 |
|  |  |  |  |

## 人员
| 角色 | 姓名 |
| --- | --- |
| 负责人 | {{author}} |
| 发起人 |  |
| 团队成员 |  |

## 风险
| 风险 | 可能性 | 影响 | 应对措施 |
| --- | --- | --- | --- |
|  |  |  |  |

## 待解决问题
- [ ] 
`,
  },
  {
    id: 'requirement-review',
    title: 'Requirement review',
    titleZh: '需求评审',
    description: 'Agenda, the requirements reviewed, decisions and follow-ups of a review meeting.',
    descriptionZh: '需求评审会的议程、评审的需求、结论与后续事项。',
    en: `> Project: {{project}} · Date: {{date}} · Moderator: {{author}}

## Attendees
- {{author}}
- 

## Requirements reviewed
Write requirement keys (such as PAY-12) in the table: they link to the requirement and show its status.

| Requirement | Presenter | Outcome (accepted / changes / rejected) | Notes |
| --- | --- | --- | --- |
|  |  |  |  |

## Checklist for each requirement
- [ ] The problem and the user are clear
- [ ] Acceptance criteria can be tested
- [ ] Dependencies and risks are named
- [ ] Effort is estimated
- [ ] Owner and due date are set

## Decisions
1. 

## Follow-ups
- [ ] Who — what — by when
`,
    zh: `> 项目：{{project}} · 日期：{{date}} · 主持人：{{author}}

## 参会人
- {{author}}
- 

## 评审的需求
在表格中写需求编号（如 PAY-12），会自动链接到需求并显示状态。

| 需求 | 讲解人 | 结论（通过 / 需修改 / 不通过） | 备注 |
| --- | --- | --- | --- |
|  |  |  |  |

## 每个需求的检查项
- [ ] 问题和用户清楚
- [ ] 验收标准可测试
- [ ] 依赖和风险已列出
- [ ] 工作量已评估
- [ ] 负责人和截止日期已确定

## 结论
1. 

## 后续事项
- [ ] 谁 — 做什么 — 何时完成
`,
  },
  {
    id: 'retrospective',
    title: 'Retrospective',
    titleZh: '复盘',
    description: 'What went well, what did not, and what we change next time.',
    descriptionZh: '做得好的、不足的，以及下次要改变的。',
    en: `> Project: {{project}} · Date: {{date}} · Facilitator: {{author}}

## The period in one paragraph
What did we set out to do, and what happened?

## What went well
- 

## What did not go well
- 

## What puzzled us
- 

## Actions
| Action | Owner | Due | Status |
| --- | --- | --- | --- |
|  |  |  | Open |

## Last retrospective's actions
- [ ] 
`,
    zh: `> 项目：{{project}} · 日期：{{date}} · 主持人：{{author}}

## 一段话概括
我们原本打算做什么？实际发生了什么？

## 做得好的
- 

## 做得不好的
- 

## 让我们困惑的
- 

## 改进行动
| 行动 | 负责人 | 截止日期 | 状态 |
| --- | --- | --- | --- |
|  |  |  | 未开始 |

## 上次复盘的行动
- [ ] 
`,
  },
  {
    id: 'weekly-status',
    title: 'Weekly status report',
    titleZh: '周报',
    description: 'Progress, plans, risks and help needed this week.',
    descriptionZh: '本周进展、下周计划、风险与需要的支持。',
    en: `> {{project}} · Week of {{date}} · Written by {{author}}

**Overall:** on track / at risk / off track (keep one)

## Done this week
- 

## Planned for next week
- [ ] 

## Risks and blockers
| Issue | Impact | Help needed from |
| --- | --- | --- |
|  |  |  |

## Figures
| Measure | Last week | This week |
| --- | --- | --- |
|  |  |  |
`,
    zh: `> {{project}} · {{date}} 当周 · 填写人：{{author}}

**总体状态：** 正常 / 有风险 / 延误（保留一项）

## 本周完成
- 

## 下周计划
- [ ] 

## 风险与阻碍
| 问题 | 影响 | 需要谁支持 |
| --- | --- | --- |
|  |  |  |

## 数据
| 指标 | 上周 | 本周 |
| --- | --- | --- |
|  |  |  |
`,
  },
  {
    id: 'weekly-report',
    projectOnly: true,
    title: 'Weekly delivery report',
    titleZh: '交付周报',
    description: "The project's live charts (on time, created vs. done, open work, overdue) with room for the week's story.",
    descriptionZh: '嵌入项目实时图表（按期率、新建与完成、未完成、逾期），并写下本周的说明。',
    en: `> {{project}} · Week of {{date}} · Written by {{author}}
>
> The charts below are live: they show the figures of the day the report is read, for each reader.

## Summary
- 

## On-time delivery
~~~dossier-chart
project: {{key}}
metric: on-time
weeks: 12
~~~

## Created vs. done
~~~dossier-chart
project: {{key}}
metric: created-done
weeks: 12
~~~

## Open work by status
~~~dossier-chart
project: {{key}}
metric: by-status
weeks: 12
~~~

## Overdue
~~~dossier-chart
project: {{key}}
metric: overdue-assignee
weeks: 12
~~~

## Next week
- [ ] 
`,
    zh: `> {{project}} · {{date}} 当周 · 填写人：{{author}}
>
> 下面的图表是实时的：每位读者看到的都是阅读当天的数据。

## 本周概要
- 

## 按期交付
~~~dossier-chart
project: {{key}}
metric: on-time
weeks: 12
~~~

## 新建与完成
~~~dossier-chart
project: {{key}}
metric: created-done
weeks: 12
~~~

## 未完成事项（按状态）
~~~dossier-chart
project: {{key}}
metric: by-status
weeks: 12
~~~

## 逾期事项
~~~dossier-chart
project: {{key}}
metric: overdue-assignee
weeks: 12
~~~

## 下周计划
- [ ] 
`,
  },
  {
    id: 'meeting-notes',
    title: 'Meeting notes',
    titleZh: '会议纪要',
    description: 'Agenda, notes, decisions and action items of a meeting.',
    descriptionZh: '会议的议程、记录、决定与待办事项。',
    en: `> Date: {{date}} · Notes by {{author}}

## Attendees
- {{author}}
- 

## Agenda
1. 

## Notes
- 

## Decisions
- 

## Action items
- [ ] Who — what — by when
`,
    zh: `> 日期：{{date}} · 记录人：{{author}}

## 参会人
- {{author}}
- 

## 议程
1. 

## 记录
- 

## 决定
- 

## 待办事项
- [ ] 谁 — 做什么 — 何时完成
`,
  },
  {
    id: 'incident-postmortem',
    title: 'Incident post-mortem',
    titleZh: '故障复盘',
    description: 'Impact, timeline, root cause and follow-ups of an incident, without blame.',
    descriptionZh: '故障的影响、时间线、根因与改进措施（对事不对人）。',
    en: `> Written by {{author}} on {{date}} · Status: draft

This review is blameless: it looks at how the system and our processes let this happen, not at who did what wrong.

## Summary
One paragraph: what broke, for whom, for how long.

## Impact
| Measure | Value |
| --- | --- |
| Started |  |
| Detected |  |
| Resolved |  |
| Users affected |  |
| Severity |  |

## Timeline
| Time | What happened |
| --- | --- |
|  |  |

## Root cause
Ask "why?" until you reach something we can change.

## What went well
- 

## What we were lucky about
- 

## Follow-ups
| Action | Owner | Due |
| --- | --- | --- |
|  |  |  |
`,
    zh: `> 撰写人：{{author}} · 日期：{{date}} · 状态：草稿

本复盘对事不对人：关注系统和流程为何让问题发生，而不是谁做错了什么。

## 概述
一段话：什么出了问题，影响了谁，持续多久。

## 影响
| 项目 | 情况 |
| --- | --- |
| 开始时间 |  |
| 发现时间 |  |
| 恢复时间 |  |
| 受影响用户 |  |
| 严重程度 |  |

## 时间线
| 时间 | 事件 |
| --- | --- |
|  |  |

## 根因
多问几次"为什么"，直到找到可以改变的地方。

## 做得好的
- 

## 侥幸之处
- 

## 改进措施
| 措施 | 负责人 | 截止日期 |
| --- | --- | --- |
|  |  |  |
`,
  },
  {
    id: 'it-howto',
    title: 'IT how-to',
    titleZh: 'IT 操作指南',
    description: 'Step-by-step instructions with screenshots for a common IT task.',
    descriptionZh: '常见 IT 操作的分步说明（可配截图）。',
    en: `> Last checked by {{author}} on {{date}}

**Who this is for:** 
**Time needed:** about 5 minutes

## Before you start
- [ ] You are signed in to your work account
- [ ] 

## Steps
1. Open …
   Paste a screenshot here (Ctrl+V in the editor).
2. Choose …
3. Check that …

If a command is needed, put it in a block:

~~~
command --option value
~~~

## If it does not work
| What you see | What to do |
| --- | --- |
|  |  |

Still stuck? Contact the IT helpdesk and mention this page.
`,
    zh: `> 最近由 {{author}} 于 {{date}} 核对

**适用人员：** 
**所需时间：** 约 5 分钟

## 开始之前
- [ ] 已登录工作账号
- [ ] 

## 步骤
1. 打开……
   在这里粘贴截图（在编辑器中按 Ctrl+V）。
2. 选择……
3. 确认……

如需输入命令，请放在代码块中：

~~~
command --option value
~~~

## 遇到问题
| 看到的现象 | 处理办法 |
| --- | --- |
|  |  |

仍未解决？请联系 IT 服务台并附上本页链接。
`,
  },
  {
    id: 'policy',
    title: 'Policy',
    titleZh: '制度',
    description: 'A company policy: purpose, scope, rules, responsibilities and its history.',
    descriptionZh: '公司制度：目的、适用范围、规定、职责与修订记录。',
    en: `| Item | Details |
| --- | --- |
| Owner | {{author}} |
| Effective from | {{date}} |
| Applies to |  |
| Next review |  |

## Purpose
Why this policy exists, in two or three sentences.

## Scope
Who and what it covers; who and what it does not.

## Policy
1. 
2. 

## Responsibilities
| Who | Is responsible for |
| --- | --- |
| Employees |  |
| Managers |  |
| {{author}} | Keeping this policy current |

## Exceptions
How to ask for one and who approves it.

## Related
- 

## Change history
| Date | Change | By |
| --- | --- | --- |
| {{date}} | First version | {{author}} |
`,
    zh: `| 项目 | 内容 |
| --- | --- |
| 负责人 | {{author}} |
| 生效日期 | {{date}} |
| 适用范围 |  |
| 下次评审 |  |

## 目的
用两三句话说明制定本制度的原因。

## 适用范围
适用于哪些人员和事项，不适用于哪些。

## 制度内容
1. 
2. 

## 职责
| 角色 | 职责 |
| --- | --- |
| 员工 |  |
| 管理者 |  |
| {{author}} | 维护本制度 |

## 例外
如何申请例外，由谁审批。

## 相关文档
- 

## 修订记录
| 日期 | 修订内容 | 修订人 |
| --- | --- | --- |
| {{date}} | 首次发布 | {{author}} |
`,
  },
];
