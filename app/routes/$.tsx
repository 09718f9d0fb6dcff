import { refuse } from "~/domain/result";
import { pageRefusal } from "~/http/page-refusal.server";

// Any URL no other route matches: the root ErrorBoundary renders the friendly 404 page.
export async function loader() {
  throw pageRefusal(refuse("not_found", { subject: "page" as const }));
}

export default function NotFound() {
  return null;
}
