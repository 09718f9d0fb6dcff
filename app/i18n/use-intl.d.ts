// Types use-intl's `useTranslations` / `createTranslator` by the English catalogue: a key used in code
// that is not in it fails `npm run typecheck` (ADR 028).
import type { Language } from "~/domain/language";
import type { Messages } from "./en";

declare module "use-intl" {
  interface AppConfig {
    Messages: Messages;
    Locale: Language;
  }
}
