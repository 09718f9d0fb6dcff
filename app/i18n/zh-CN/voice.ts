import type { Messages } from "../en";

export const voice: Messages["voice"] = {};
