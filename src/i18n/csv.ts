// UI strings for CSV import and export of requirements, in both languages.
const en = {
};

export const csvMessages = { en, zh: {
} satisfies Record<keyof typeof en, string> };
