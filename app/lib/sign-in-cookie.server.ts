/**
 * The browser binding of a server-side sign-in (ADR 012): a random id in a short-lived HttpOnly
 * `__Host-` cookie, set by GET /api/auth/login; its hash is stored with the sign-in's state, and
 * the callback finishes a sign-in only in the browser that started it (no login CSRF: a victim
 * can't be made to finish a sign-in an attacker started). SameSite=Lax, because Auth0 brings the
 * browser back with a top-level cross-site GET. One value serves every sign-in the browser starts
 * while it lives, so two tabs signing in at once both finish.
 */
import { isLanguage } from "~/domain/language";
import { SIGN_IN_TRANSACTION_TTL_MS } from "~/domain/sign-in-policy";
import { LANGUAGE_COOKIE, requestLanguage } from "~/i18n/i18n.server";
import { randomToken } from "./crypto.server";
import { cookieValue } from "~/http/cookies.server";

export const SIGN_IN_COOKIE = "__Host-aovis_signin";
const VALUE = /^[A-Za-z0-9_-]{43}$/;

export function readSignInBrowserId(request: Request): string | null {
  const v = cookieValue(request, SIGN_IN_COOKIE);
  return v !== null && VALUE.test(v) ? v : null;
}

/** The browser's binding id: the one it already has, else a new one. */
export function signInBrowserId(request: Request): string {
  return readSignInBrowserId(request) ?? randomToken(32);
}

export function signInCookie(id: string): string {
  return `${SIGN_IN_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=${Math.floor(SIGN_IN_TRANSACTION_TTL_MS / 1000)}`;
}

/**
 * The language a sign-in stores as the user's mail language (users.locale, ADR 019/028): the
 * switcher's choice (the aovis_lang cookie) wins over the browser's Accept-Language, as on the
 * pages. Given as an Accept-Language value, which is what the sign-in reads: null when neither
 * names a language we write, so the stored one stays.
 */
export function signInLanguage(request: Request): string | null {
  const chosen = cookieValue(request, LANGUAGE_COOKIE);
  return isLanguage(chosen) ? requestLanguage(request) : request.headers.get("Accept-Language");
}
