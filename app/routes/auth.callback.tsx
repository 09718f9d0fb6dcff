import { redirect } from "@remix-run/cloudflare";

// Where the browser-side (auth0-spa-js) sign-in used to come back. Sign-in is now the server-side
// flow (/api/auth/callback, ADR 012); a sign-in begun the old way before a deploy can't be
// finished here, so it starts again.
export async function loader() {
  return redirect("/login?error=session_failed", { headers: { "Cache-Control": "no-store" } });
}
