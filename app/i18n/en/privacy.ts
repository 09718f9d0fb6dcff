/** Strings of export and deletion (wp/privacy). Same keys in ../zh-CN/privacy.ts (test/unit/i18n-catalogues.test.ts checks). */
export const privacy = {};
