// UI strings for requirement tracker screens (projects, lists, board, requirement page, settings), in both languages.
const en = {
};

export const trackerMessages = { en, zh: {
} satisfies Record<keyof typeof en, string> };
