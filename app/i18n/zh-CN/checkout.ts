import type { Messages } from "../en";

export const checkout: Messages["checkout"] = {};
