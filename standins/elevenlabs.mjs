// Local stand-in for elevenlabs. Filled in by its issue; for now it answers the shared health endpoint.
import { sendJson, startServer } from "./lib/http.mjs";

export async function startElevenlabs({ port, ...options } = {}) {
  return startServer({
    service: "elevenlabs",
    port,
    handler: async (req, res) => sendJson(res, 404, { error: "not_found", message: "Not implemented by the stand-in" }),
  });
}
