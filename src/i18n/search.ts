// UI strings for search relevance: did you mean, synonyms, space search weight, in both languages.
const en = {
  'search.didYouMean': 'Did you mean',
  'search.showingFor': 'Nothing found for “{q}”. Showing results for',
  'search.matchedSynonym': 'matched {from} → {to}',
  'search.kind': 'Kind of space',
  'search.allKinds': 'All kinds',
  'search.includeArchived': 'Include archived',
  'synonyms.title': 'Search synonyms',
  'synonyms.help': 'One group per line, words or phrases separated by commas. Every word of a group finds the others, in both directions: 报销, reimbursement, expenses.',
  'synonyms.label': 'Synonym groups',
  'synonyms.save': 'Save synonyms',
  'synonyms.count': '{n} groups',
  'spaceSearch.weight': 'Search weight',
  'spaceSearch.weightHelp': 'From 0.5 to 2; 1 is neutral. Decides between results of close relevance.',
  'spaceSearch.reference': 'Reference collection (imported manuals, vendor docs): ranks below company spaces',
};

export const searchMessages = { en, zh: {
  'search.didYouMean': '您是不是要找',
  'search.showingFor': '没有找到“{q}”。以下是这个搜索的结果：',
  'search.matchedSynonym': '匹配 {from} → {to}',
  'search.kind': '空间类型',
  'search.allKinds': '全部类型',
  'search.includeArchived': '包含已归档',
  'synonyms.title': '搜索同义词',
  'synonyms.help': '每行一组，词语之间用逗号分隔。同一组中的词可以互相搜到，双向生效：报销, reimbursement, expenses。',
  'synonyms.label': '同义词组',
  'synonyms.save': '保存同义词',
  'synonyms.count': '{n} 组',
  'spaceSearch.weight': '搜索权重',
  'spaceSearch.weightHelp': '0.5 到 2，1 为默认。在相关度接近的结果之间起作用。',
  'spaceSearch.reference': '参考资料（导入的手册、厂商文档）：排在公司空间之后',
} satisfies Record<keyof typeof en, string> };
