// Words that say how a person asks, not what they ask about: question and filler words of
// everyday Chinese and English. Meilisearch ignores them in queries and documents (its `stopWords`
// setting), so "怎么查看一下日志" is matched on 日志, and "how do I reset my password" on its last two
// words. Kept short on purpose: a stop word can never be searched for on its own.
// A maintained list (the `stopword` npm package, zho/eng) could replace these once it is a dependency.

const zh = [
  // question words and phrases
  '怎么', '怎样', '怎么样', '如何', '什么', '哪里', '哪个', '哪些', '为什么', '是否', '能否', '可否', '吗', '呢', '吧', '啊',
  // filler verbs and phrases of a task ("look at", "a bit", "want to", "be able to")
  '查看', '一下', '想要', '需要', '我要', '我想', '可以', '能够', '应该', '如果', '时候', '办法', '方法',
  // particles, pronouns, measure words
  '的', '了', '着', '过', '地', '得', '是', '在', '把', '被', '让', '给', '和', '与', '及', '或', '也', '都', '就', '还', '又', '而',
  '我', '我的', '你', '您', '他', '她', '它', '我们', '这', '那', '这个', '那个', '一个', '一些', '某个', '某些', '有', '没有',
];

const en = [
  'a', 'an', 'the', 'and', 'or', 'of', 'to', 'in', 'on', 'at', 'by', 'for', 'from', 'with', 'into', 'onto', 'about', 'as',
  'is', 'are', 'was', 'be', 'been', 'do', 'does', 'did', 'can', 'could', 'should', 'would', 'will', 'shall', 'may', 'might',
  'i', 'me', 'my', 'we', 'our', 'you', 'your', 'it', 'its', 'this', 'that', 'these', 'those', 'there', 'some', 'any',
  'how', 'what', 'which', 'where', 'when', 'why', 'who', 'please', 'want', 'need',
];

export const STOP_WORDS: readonly string[] = [...zh, ...en];

/** Whether a lower-case word is one of them. */
const stopWords = new Set(STOP_WORDS);
export const isStopWord = (word: string): boolean => stopWords.has(word);
