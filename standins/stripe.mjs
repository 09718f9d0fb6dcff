// Local stand-in for stripe. Filled in by its issue; for now it answers the shared health endpoint.
import { sendJson, startServer } from "./lib/http.mjs";

export async function startStripe({ port, ...options } = {}) {
  return startServer({
    service: "stripe",
    port,
    handler: async (req, res) => sendJson(res, 404, { error: "not_found", message: "Not implemented by the stand-in" }),
  });
}
