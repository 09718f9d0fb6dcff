/** Strings of /login and the sign-in flow. Same keys in ../zh-CN/auth.ts (test/unit/i18n-catalogues.test.ts checks). */
export const auth = {};
