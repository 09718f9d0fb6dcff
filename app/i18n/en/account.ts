/** Strings of /account (wp/account-ux). Same keys in ../zh-CN/account.ts (test/unit/i18n-catalogues.test.ts checks). */
export const account = {};
