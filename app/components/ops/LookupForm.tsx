import { Form } from "@remix-run/react";

export function LookupForm({ defaultValue = "" }: { defaultValue?: string }) {
  return (
    <Form method="get" action="/ops/lookup" className="ops-search" role="search">
      <label htmlFor="ops-q">Customer e-mail or camera serial</label>
      <div className="ops-search-row">
        <input id="ops-q" name="q" type="search" required maxLength={254} defaultValue={defaultValue} placeholder="demo@example.com or N4K-000099" />
        <button type="submit">Look up</button>
      </div>
    </Form>
  );
}
