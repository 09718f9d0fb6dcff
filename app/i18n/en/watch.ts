/** Strings of components/watch (live, playback, clips, timeline). Same keys in ../zh-CN/watch.ts (test/unit/i18n-catalogues.test.ts checks). */
export const watch = {};
