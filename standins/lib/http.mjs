// Small helpers shared by the local stand-ins (Node http, no framework: they must start fast and
// behave exactly as written). Stand-ins are local tooling only and are never deployed.
import http from "node:http";

export function sendJson(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": data.length, ...headers });
  res.end(data);
}

export function sendHtml(res, status, html, headers = {}) {
  const data = Buffer.from(html);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": data.length, ...headers });
  res.end(data);
}

export function readBody(req, limit = 60 * 1024 * 1024) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > limit) {
        reject(Object.assign(new Error("body too large"), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/**
 * Starts a stand-in. `handler(req, res, url)` handles everything except the shared endpoints:
 * GET /__standin/health → {service, ok}. Returns {server, url, close()}.
 */
export function startServer({ service, port, host = "127.0.0.1", handler }) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? `${host}:${port}`}`);
    try {
      if (req.method === "GET" && url.pathname === "/__standin/health") {
        return sendJson(res, 200, { service, ok: true });
      }
      await handler(req, res, url);
    } catch (err) {
      if (!res.headersSent) sendJson(res, err.status ?? 500, { error: "standin_error", message: String(err?.message ?? err) });
      else res.destroy();
    }
  });
  // Keep idle sockets open longer than any client pool holds them: workerd's fetch reuses idle
  // keep-alive connections, and one the server already closed fails as "Network connection lost".
  server.keepAliveTimeout = 10 * 60 * 1000;
  server.headersTimeout = 10 * 60 * 1000 + 1000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolve({
        server,
        port: actual,
        url: `http://${host === "127.0.0.1" ? "127.0.0.1" : host}:${actual}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}
