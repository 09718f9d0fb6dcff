/**
 * Activation codes are printed on the device label and stored only as a keyed hash
 * (HMAC-SHA256 with ACTIVATION_CODE_PEPPER), so a database leak gives no usable codes and codes
 * cannot be brute-forced offline without the key. Pure: WebCrypto only, no I/O.
 */

/** Uppercase, strip spaces and dashes the customer may or may not type. */
export function normalizeActivationCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

export function normalizeSerial(serial: string): string {
  return serial.trim().toUpperCase();
}

function toHex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function hashActivationCode(pepper: string, code: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, enc.encode(normalizeActivationCode(code))));
}

/** Constant-time comparison of two hex digests (length is public: both are SHA-256). */
export function digestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** 32 letters and digits without the look-alikes I, O, 0 and 1; 256 is a multiple of 32, so `byte % 32` is uniform. */
export const ACTIVATION_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const ACTIVATION_CODE_LENGTH = 16;
/** log2 of the code space: 16 × log2(32) = 80 bits (ADR 013 weighs guessing against it). */
export const ACTIVATION_CODE_BITS = ACTIVATION_CODE_LENGTH * Math.log2(ACTIVATION_CODE_ALPHABET.length);

/** A random code for a newly provisioned device: 4 groups of 4 from an unambiguous alphabet. */
export function generateActivationCode(): string {
  const alphabet = ACTIVATION_CODE_ALPHABET;
  const bytes = crypto.getRandomValues(new Uint8Array(ACTIVATION_CODE_LENGTH));
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}
