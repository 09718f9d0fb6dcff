/** Strings of /account/devices and the device page (wp/account-ux). Same keys in ../zh-CN/devices.ts (test/unit/i18n-catalogues.test.ts checks). */
export const devices = {};
