// .dev.vars / .env files as an object: used by the ops CLIs (also against production), `npm start`,
// the test harness and the stand-ins. Deliberately tiny: KEY=value lines, `#` comments, optional
// double quotes; no interpolation, no multi-line values (wrangler reads the same files).

/** Parses a .dev.vars style file into an object. */
export function parseDotenv(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && !line.trimStart().startsWith("#")) out[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return out;
}
