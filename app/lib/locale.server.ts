const FALLBACK = "en-US";

/** The first Accept-Language tag that Intl supports, else en-US. */
export function requestLocale(request: Request): string {
  const header = request.headers.get("Accept-Language") ?? "";
  const tags = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((t) => t.tag && t.tag !== "*" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(t.tag))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    try {
      const [supported] = Intl.NumberFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // malformed tag: try the next one
    }
  }
  return FALLBACK;
}
