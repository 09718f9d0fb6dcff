import type { Messages } from "../en";

export const search: Messages["search"] = {};
