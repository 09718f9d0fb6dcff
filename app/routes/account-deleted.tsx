import type { MetaFunction } from "@remix-run/react";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Account deleted — AOVIS Edge" }];

// GET /account-deleted: where a deletion lands (ADR 026). Signed out, so outside /account.
export default function AccountDeleted() {
  return (
    <section className="panel" aria-labelledby="deleted-title">
      <h1 id="deleted-title">Your account is deleted</h1>
      <p>You are signed out everywhere and your recordings are being removed.</p>
      <p>If you sign in again with the same e-mail address, you start a new, empty account.</p>
      <p>
        <Link to="/store">Back to the store</Link>
      </p>
    </section>
  );
}
