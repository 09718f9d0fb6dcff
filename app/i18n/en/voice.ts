/** Strings of /voice, components/voice, PlanOutlook (wp/account-ux). Same keys in ../zh-CN/voice.ts (test/unit/i18n-catalogues.test.ts checks). */
export const voice = {};
