import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { refuse } from "~/domain/result";
import { pageRefusal } from "~/http/page-refusal.server";

// Exercises the 500 page in local and test mode only (a loader that throws an unexpected error).
// Anywhere else (production, or a deploy that forgot APP_ENV) this URL is a plain 404.
export async function loader({ context }: LoaderFunctionArgs) {
  const mode = context.cloudflare.env.APP_ENV;
  if (mode !== "local" && mode !== "test") throw pageRefusal(refuse("not_found", { subject: "page" as const }));
  throw new Error("deliberate failure: secret-internal-detail");
}

export default function Boom() {
  return null;
}
