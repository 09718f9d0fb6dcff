// Stripe error bodies (API-SHAPES.md §1 "Errors", docs.stripe.com/api/errors):
// {"error":{type, code, message, param, doc_url, request_log_url}}.
export class StripeError extends Error {
  /**
   * @param {number} status
   * @param {{type?: string, code?: string|null, message: string, param?: string|null, decline_code?: string}} fields
   * @param {{stored?: boolean}} [opts] stored=true: the endpoint had started executing, so an
   *   idempotent replay returns this error (validation failures are never stored).
   */
  constructor(status, { type = "invalid_request_error", code = null, message, param = null, decline_code }, { stored = false } = {}) {
    super(message);
    this.status = status;
    this.fields = { type, code, message, param, decline_code };
    this.stored = stored;
  }

  body(requestId) {
    const { type, code, message, param, decline_code } = this.fields;
    return {
      error: {
        type,
        code,
        message,
        param,
        ...(decline_code ? { decline_code } : {}),
        doc_url: code ? `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` : null,
        request_log_url: requestId ? `https://dashboard.stripe.com/test/logs/${requestId}` : null,
      },
    };
  }
}

export const missingParam = (param) => new StripeError(400, { code: "parameter_missing", message: `Missing required param: ${param}.`, param });

export const invalidParam = (param, message, code = null) => new StripeError(400, { code, message, param });

/** A referenced object that does not exist: 404 for the URL id, 400 for a body parameter. */
export const noSuch = (kind, id, param = "id") =>
  new StripeError(param === "id" ? 404 : 400, { code: "resource_missing", message: `No such ${kind}: '${id}'`, param });

/** Rejects parameters the real endpoint does not know (Stripe answers 400 parameter_unknown). */
export function allowParams(params, allowed, prefix = "") {
  for (const k of Object.keys(params)) {
    if (!allowed.includes(k)) {
      const name = prefix ? `${prefix}[${k}]` : k;
      throw new StripeError(400, { code: "parameter_unknown", message: `Received unknown parameter: ${name}`, param: name });
    }
  }
}
