// UI strings for page attachments, in both languages.
const en = {
  'attachments.title': 'Attachments',
  'attachments.none': 'No attachments yet.',
  'attachments.by': '{size} · {who} · {date}',
  'attachments.someone': 'imported',
  'attachments.delete': 'Delete',
  'attachments.deleteLabel': 'Delete {name}',
  'attachments.confirmDelete': 'Delete the attachment "{name}"? Restoring a revision that links to it brings it back.',
  'attachments.original': 'original',
  'attachments.originalLabel': 'Download the original of {name}',
  'attachments.upload': 'Upload a file',
  'attachments.uploadHint': 'Up to {mb} MB. Images are shown without their location and camera data.',
  'attachments.uploadSubmit': 'Upload',
  'attachments.uploading': 'Uploading… {percent}%',
  'attachments.failed': 'Could not upload: {error}',
} as const;

export const attachmentsMessages = { en, zh: {
  'attachments.title': '附件',
  'attachments.none': '暂无附件。',
  'attachments.by': '{size} · {who} · {date}',
  'attachments.someone': '导入',
  'attachments.delete': '删除',
  'attachments.deleteLabel': '删除 {name}',
  'attachments.confirmDelete': '删除附件“{name}”？恢复引用它的修订版本会把它找回来。',
  'attachments.original': '原图',
  'attachments.originalLabel': '下载 {name} 的原图',
  'attachments.upload': '上传文件',
  'attachments.uploadHint': '最大 {mb} MB。图片显示时会去除位置和相机信息。',
  'attachments.uploadSubmit': '上传',
  'attachments.uploading': '正在上传… {percent}%',
  'attachments.failed': '上传失败：{error}',
} satisfies Record<keyof typeof en, string> };
