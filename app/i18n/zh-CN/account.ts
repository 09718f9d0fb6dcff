import type { Messages } from "../en";

export const account: Messages["account"] = {};
