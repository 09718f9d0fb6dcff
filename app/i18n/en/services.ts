/** Strings of /account/services (wp/store). Same keys in ../zh-CN/services.ts (test/unit/i18n-catalogues.test.ts checks). */
export const services = {};
