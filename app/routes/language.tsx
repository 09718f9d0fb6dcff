import { redirect, type ActionFunctionArgs } from "@remix-run/cloudflare";
import { z } from "zod";
import { refusalResponse, cappedAction } from "~/http/api-route.server";
import { DEFAULT_MAX_BODY_BYTES, readBodyFields } from "~/http/body.server";
import { parseInput } from "~/http/input.server";
import { seeOther } from "~/http/responses.server";
import { LANGUAGES } from "~/domain/language";
import { safeReturnTo } from "~/domain/session-policy";
import { languageCookie } from "~/i18n/i18n.server";
import { getUser } from "~/lib/auth.server";
import { depsOf } from "~/models/deps.server";
import { setUserLocale } from "~/models/users.server";

const Choice = z.object({ lang: z.enum(LANGUAGES), returnTo: z.string().max(2048).optional() });

// POST /language: the switcher (ADR 028). Keeps the choice in a cookie for a year and, for a
// signed-in user, as their mail language; then back to the page it was chosen on.
export const action = cappedAction(
  DEFAULT_MAX_BODY_BYTES,
  async ({ request, context }: ActionFunctionArgs) => {
    const read = await readBodyFields(request, DEFAULT_MAX_BODY_BYTES);
    if (!read.ok) return refusalResponse(read);
    const input = parseInput(Choice, read.raw);
    if (!input.ok) return refusalResponse(input);
    const user = await getUser(request, context);
    if (user) await setUserLocale(depsOf(context), user.id, input.value.lang);
    return seeOther(safeReturnTo(input.value.returnTo, "/"), { "Set-Cookie": languageCookie(input.value.lang) });
  },
  { readsOwnBody: true },
);

export async function loader() {
  return redirect("/");
}
