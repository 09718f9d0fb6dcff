import type { Messages } from "../en";

export const watch: Messages["watch"] = {};
