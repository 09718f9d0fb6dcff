/**
 * The two crypto helpers the server needs in several places, so there is one way to do each:
 * hex SHA-256 (stored hashes of session ids and transfer tokens, fingerprints) and unguessable
 * tokens (base64url, no padding: safe in cookies, URLs and paths).
 */

export async function sha256Hex(value: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** `bytes` random bytes from the platform CSPRNG as base64url (32 bytes → 43 characters). */
export function randomToken(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** base64url SHA-256 of a string: a PKCE S256 code challenge (RFC 7636 §4.2). */
export async function sha256Base64Url(value: string): Promise<string> {
  return base64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value))));
}

function base64Url(b: Uint8Array): string {
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}
