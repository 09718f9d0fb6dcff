import type { Messages } from "../en";

export const services: Messages["services"] = {};
