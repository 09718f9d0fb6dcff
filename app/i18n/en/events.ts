/** Strings of components/events. Same keys in ../zh-CN/events.ts (test/unit/i18n-catalogues.test.ts checks). */
export const events = {};
