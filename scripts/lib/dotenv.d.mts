/** Parses a .dev.vars style file into an object (scripts/lib/dotenv.mjs). */
export function parseDotenv(text: string): Record<string, string>;
