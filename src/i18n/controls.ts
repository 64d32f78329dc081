// UI strings for controls that follow permissions, delete confirmation and undo, in both languages.
const en = {
  'controls.cannotEdit': 'You cannot edit this space: you may read it. Ask one of its admins for editor access.',
  'controls.cancel': 'Cancel',
  'controls.delete.title': 'Delete “{title}”?',
  'controls.delete.explain': 'The page goes to the deleted pages of this space, where anyone who may edit here can restore it.',
  'controls.delete.childrenStay': 'The pages under it are not deleted.',
  'controls.delete.submit': 'Delete page',
  'controls.deleted': 'Deleted “{title}”.',
  'controls.undo': 'Undo',
  'controls.move.what': 'This moves “{title}”.',
  'controls.move.whatOne': 'This moves “{title}” and the page under it.',
  'controls.move.whatMany': 'This moves “{title}” and the {n} pages under it.',
  'controls.move.submitMany': 'Move {n} pages',
  'controls.moved': 'Moved here from {from}.',
  'controls.moveBack': 'Move back',
};

const zh = {
  'controls.cannotEdit': '你没有编辑此空间的权限：你只能阅读。如需编辑，请联系此空间的管理员。',
  'controls.cancel': '取消',
  'controls.delete.title': '删除“{title}”？',
  'controls.delete.explain': '页面会移到本空间的“已删除的页面”，有编辑权限的人可以在那里恢复。',
  'controls.delete.childrenStay': '其下的页面不会被删除。',
  'controls.delete.submit': '删除页面',
  'controls.deleted': '已删除“{title}”。',
  'controls.undo': '撤销',
  'controls.move.what': '将移动“{title}”。',
  'controls.move.whatOne': '将移动“{title}”及其下的 1 个页面。',
  'controls.move.whatMany': '将移动“{title}”及其下的 {n} 个页面。',
  'controls.move.submitMany': '移动 {n} 个页面',
  'controls.moved': '已从 {from} 移到这里。',
  'controls.moveBack': '移回原处',
} satisfies Record<keyof typeof en, string>;

export const controlsMessages = { en, zh };
