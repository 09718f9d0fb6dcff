import type { LoaderFunctionArgs } from "@remix-run/cloudflare";

// Exercises the 500 page in local and test mode only (a loader that throws an unexpected error).
// In production this URL is a plain 404.
export async function loader({ context }: LoaderFunctionArgs) {
  if (context.cloudflare.env.APP_ENV === "production") throw new Response("Not found", { status: 404 });
  throw new Error("deliberate failure: secret-internal-detail");
}

export default function Boom() {
  return null;
}
