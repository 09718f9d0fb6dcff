import type { Messages } from "../en";

export const store: Messages["store"] = {};
