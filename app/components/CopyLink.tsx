import { useState } from "react";
import { useT } from "~/i18n/react";

/**
 * A link to hand on: the whole address in a read-only input (select it and copy, without
 * JavaScript), and a Copy button that uses the clipboard and says "Copied" to screen readers too.
 */
export function CopyLink({ href, label }: { href: string; label: string }) {
  const t = useT("devices.copy");
  // What was said, as a key: a language switch re-says it in the new language.
  const [said, setSaid] = useState<"copied" | "selectIt" | null>(null);
  const id = "copy-link-input";
  async function copy() {
    try {
      await navigator.clipboard.writeText(href);
      setSaid("copied");
    } catch {
      // No clipboard permission (or no secure context): select the text so a keyboard copy works.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setSaid("selectIt");
    }
  }
  return (
    <div className="copy-link">
      <label htmlFor={id} className="copy-link__label">
        {label}
      </label>
      <div className="copy-link__row">
        <input id={id} type="text" readOnly value={href} onFocus={(e) => e.currentTarget.select()} data-testid="share-link" />
        <button type="button" onClick={copy} className="button--ghost" data-testid="copy-link">
          {t("copy")}
        </button>
      </div>
      <p aria-live="polite" className="muted copy-link__said" data-testid="copy-said">
        {said ? t(said) : ""}
      </p>
    </div>
  );
}
