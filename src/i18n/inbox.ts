// UI strings for the inbox, notifications and webhooks, in both languages.
const en = {
};

export const inboxMessages = { en, zh: {
} satisfies Record<keyof typeof en, string> };
