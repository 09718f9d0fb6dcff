// Webhook signing and delivery exactly like Stripe / `stripe listen --forward-to` (API-SHAPES.md §1
// "Events / webhooks"): Stripe-Signature `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
// the whsec_… secret used as-is as the HMAC key.
import crypto from "node:crypto";

export function signatureHeader(secret, payload, timestamp = Math.floor(Date.now() / 1000)) {
  const v1 = crypto.createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}

export const DELIVERY_TIMEOUT_MS = 10_000;

/** POSTs one event record, re-signed now (as every Stripe attempt is); records {status|error, at}. */
export async function deliverEvent(record, url, secret) {
  const header = signatureHeader(secret, record.payload);
  record.signatureHeader = header;
  const at = Math.floor(Date.now() / 1000);
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": header,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        Accept: "*/*; q=0.5, application/xml",
      },
      body: record.payload,
      redirect: "manual", // Stripe treats a redirect as a failed delivery
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => {});
    record.deliveries.push({ status: res.status, at });
  } catch (err) {
    const cause = err?.cause?.code ?? err?.cause?.message;
    record.deliveries.push({ error: cause ? `${err.message}: ${cause}` : String(err?.message ?? err), at });
  }
}
