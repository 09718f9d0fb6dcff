import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { refuse } from "~/domain/result";
import { pageRefusal } from "~/http/page-refusal.server";

// The baseline `npm run bench` compares pages with: the root layout rendered by Remix on the same
// Worker, with no session, no D1 and no page content (every real page reads D1 or config, and the
// catch-all answers 404). Local and test mode only, like /dev/boom; anywhere else a plain 404.
export async function loader({ context }: LoaderFunctionArgs) {
  const mode = context.cloudflare.env.APP_ENV;
  if (mode !== "local" && mode !== "test") throw pageRefusal(refuse("not_found", { subject: "page" as const }));
  return null;
}

export default function Bare() {
  return null;
}
