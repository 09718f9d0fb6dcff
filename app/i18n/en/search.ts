/** Strings of /account/search. Same keys in ../zh-CN/search.ts (test/unit/i18n-catalogues.test.ts checks). */
export const search = {};
