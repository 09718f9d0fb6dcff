import type { Language } from "~/domain/language";
import { en, type Messages } from "./en";
import { zhCN } from "./zh-CN";

/** Every language's messages. Server code only (the root loader sends the served one to the page). */
export const CATALOGUES: Record<Language, Messages> = { en, "zh-CN": zhCN };
