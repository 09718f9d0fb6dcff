// Local stand-in for aws. Filled in by its issue; for now it answers the shared health endpoint.
import { sendJson, startServer } from "./lib/http.mjs";

export async function startAws({ port, ...options } = {}) {
  return startServer({
    service: "aws",
    port,
    handler: async (req, res) => sendJson(res, 404, { error: "not_found", message: "Not implemented by the stand-in" }),
  });
}
