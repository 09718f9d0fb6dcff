import type { Messages } from "../en";

export const field: Messages["field"] = {};
