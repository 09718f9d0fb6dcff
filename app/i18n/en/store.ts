/** Strings of /, /store, /store/:sku, ProductCard (wp/store). Same keys in ../zh-CN/store.ts (test/unit/i18n-catalogues.test.ts checks). */
export const store = {};
