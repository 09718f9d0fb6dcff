/**
 * What each refusal code means over HTTP: its status, the sentence people read, and which of the
 * refusal's facts a JSON client may see. The domain and the use cases only name the code and the
 * facts (app/domain/result.ts); this table is the one place that turns them into words, for API
 * routes and page forms alike. Every code a use case can return must be listed (the type checks it).
 *
 * Codes that several areas use (not_found, rate_limited, invalid_request, forbidden, feature_locked…)
 * live in COMMON only; an area file adds its own codes and never redefines a common one.
 */
import { BILLING_REFUSALS } from "./refusals/billing";
import { COMMON_REFUSALS } from "./refusals/common";
import { DEVICE_REFUSALS } from "./refusals/devices";
import { EVENT_REFUSALS } from "./refusals/events";
import { IDENTITY_REFUSALS } from "./refusals/identity";
import { OPS_REFUSALS } from "./refusals/ops";
import { PRIVACY_REFUSALS } from "./refusals/privacy";
import { VIDEO_REFUSALS } from "./refusals/video";
import { VOICE_REFUSALS } from "./refusals/voice";
import type { RefusalSpec } from "./refusals/spec";
import { ZH_CN_REFUSALS } from "./refusals/zh-CN";
import type { Language } from "~/domain/language";

export const REFUSALS = {
  ...COMMON_REFUSALS,
  ...IDENTITY_REFUSALS,
  ...DEVICE_REFUSALS,
  ...BILLING_REFUSALS,
  ...VIDEO_REFUSALS,
  ...VOICE_REFUSALS,
  ...EVENT_REFUSALS,
  ...OPS_REFUSALS,
  ...PRIVACY_REFUSALS,
} as const satisfies Record<string, RefusalSpec>;

/** Every area's catalogue, for the test that no area redefines another's code. */
export const REFUSAL_AREAS = {
  COMMON_REFUSALS,
  IDENTITY_REFUSALS,
  DEVICE_REFUSALS,
  BILLING_REFUSALS,
  VIDEO_REFUSALS,
  VOICE_REFUSALS,
  EVENT_REFUSALS,
  OPS_REFUSALS,
  PRIVACY_REFUSALS,
} as const;

export type KnownRefusalCode = keyof typeof REFUSALS;

/** Any refusal whose code is in the table (facts are read by the table's entry for that code). */
export type KnownRefusal = { readonly ok: false; readonly error: KnownRefusalCode } & Record<string, unknown>;

function specOf(code: string): RefusalSpec {
  const spec = (REFUSALS as Record<string, RefusalSpec>)[code];
  if (!spec) throw new Error(`Refusal code without an HTTP mapping: ${code}`);
  return spec;
}

export function refusalStatus(r: { error: string }): number {
  return specOf(r.error).status;
}

/** The sentence for people (pages and JSON `message`), in the served language (ADR 028). */
export function refusalMessage(r: { error: string } & object, language: Language = "en"): string {
  const spec = specOf(r.error);
  if (language === "zh-CN") {
    const zh = (ZH_CN_REFUSALS as Record<string, string | ((r: never) => string)>)[r.error];
    if (zh) return typeof zh === "function" ? zh(r as never) : zh;
  }
  return typeof spec.message === "function" ? spec.message(r as never) : spec.message;
}

/** The facts a JSON client may see, besides `error` and `message`. */
export function refusalFacts(r: { error: string } & object): Record<string, unknown> {
  const spec = specOf(r.error);
  const out: Record<string, unknown> = {};
  for (const key of spec.expose ?? []) {
    const v = (r as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function refusalHeaders(r: { error: string } & object): Record<string, string> {
  const spec = specOf(r.error);
  return spec.headers ? spec.headers(r as never) : {};
}
