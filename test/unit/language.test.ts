import { describe, expect, it } from "vitest";
import { languageFromAcceptLanguage, negotiateLanguage } from "~/domain/language";

const served = (cookie: string | null, header: string | null) => negotiateLanguage(cookie, header);

describe("language negotiation (ADR 028)", () => {
  it("serves Simplified Chinese for zh, zh-CN, zh-Hans and zh-SG", () => {
    for (const h of ["zh", "zh-CN", "zh-Hans", "zh-Hans-CN", "zh-SG", "zh-cn"]) expect(served(null, h)).toEqual({ language: "zh-CN", intlLocale: "zh-CN" });
  });

  it("orders tags by q-value, then by position", () => {
    expect(served(null, "en;q=0.5, zh;q=0.9").language).toBe("zh-CN");
    expect(served(null, "zh-CN;q=0.4, en-GB;q=0.8").language).toBe("en");
    expect(served(null, "fr, zh-CN, en").language).toBe("zh-CN");
    expect(served(null, "zh-CN;q=0, en").language).toBe("en");
  });

  it("serves English with lang en for a language we don't write (de-DE), with en-US dates", () => {
    expect(served(null, "de-DE,de;q=0.9")).toEqual({ language: "en", intlLocale: "en-US" });
    expect(served(null, null)).toEqual({ language: "en", intlLocale: "en-US" });
    expect(served(null, "")).toEqual({ language: "en", intlLocale: "en-US" });
    expect(served(null, "*")).toEqual({ language: "en", intlLocale: "en-US" });
  });

  it("keeps the English region for dates (en-GB)", () => {
    expect(served(null, "en-GB,en;q=0.9")).toEqual({ language: "en", intlLocale: "en-GB" });
  });

  it("Traditional Chinese falls through to a later tag we write, else Simplified", () => {
    expect(served(null, "zh-TW, en;q=0.8").language).toBe("en");
    expect(served(null, "zh-HK").language).toBe("zh-CN");
    expect(served(null, "zh-Hant-TW, de;q=0.5").language).toBe("zh-CN");
  });

  it("the switcher's cookie wins over the header", () => {
    expect(served("zh-CN", "en-US,en;q=0.9")).toEqual({ language: "zh-CN", intlLocale: "zh-CN" });
    expect(served("en", "zh-CN")).toEqual({ language: "en", intlLocale: "en-US" });
    expect(served("en", "en-GB")).toEqual({ language: "en", intlLocale: "en-GB" });
  });

  it("ignores a cookie naming no language we write, and garbage in the header", () => {
    expect(served("fr", "zh-CN").language).toBe("zh-CN");
    expect(served("<script>", "de").language).toBe("en");
    expect(languageFromAcceptLanguage("zh-CN;q=abc, en;q=0.1")?.language).toBe("en");
    expect(languageFromAcceptLanguage(";;;,,")).toBeNull();
  });
});
