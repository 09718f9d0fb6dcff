import type { Messages } from "../en";

export const events: Messages["events"] = {};
