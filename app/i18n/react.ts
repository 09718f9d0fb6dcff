/**
 * What components use (ADR 028): `const t = useT("watch"); t("live")`. The messages come from the
 * root loader (the served language only), so the server render and the hydrated page agree.
 */
export { useTranslations as useT, useFormatter, useLocale } from "use-intl";
