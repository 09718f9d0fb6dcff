import type { LoaderFunctionArgs } from "@remix-run/cloudflare";
import { refuse } from "~/domain/result";
import { pageRefusal } from "~/http/page-refusal.server";

// Any URL no other route matches: the root ErrorBoundary renders the friendly 404 page (in the
// served language: its words are the common catalogue's notFound).
export async function loader({ request }: LoaderFunctionArgs) {
  throw pageRefusal(refuse("not_found", { subject: "page" as const }), request);
}

export default function NotFound() {
  return null;
}
