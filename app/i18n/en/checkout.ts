/** Strings of /checkout/success. Same keys in ../zh-CN/checkout.ts (test/unit/i18n-catalogues.test.ts checks). */
export const checkout = {};
