/** Cloudflare sets CF-Connecting-IP on every request and overwrites any client-sent value. */
export function clientIp(request: Request): string {
  return request.headers.get("CF-Connecting-IP") ?? "unknown";
}
