import type { Messages } from "../en";

export const devices: Messages["devices"] = {};
