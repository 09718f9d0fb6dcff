/** Strings of components/Field.tsx. Same keys in ../zh-CN/field.ts (test/unit/i18n-catalogues.test.ts checks). */
export const field = {};
