import { useFetcher } from "@remix-run/react";
import { useT } from "~/i18n/react";
import type { StudioData } from "./types";

export function CustomPresets({ presets }: { presets: StudioData["presets"]["custom"] }) {
  const t = useT("voice");
  return (
    <section className="panel" aria-labelledby="custom-presets-title">
      <h2 id="custom-presets-title">{t("customPresets.title")}</h2>
      <ul className="plain-list">
        {presets.map((p) => (
          <CustomPresetItem key={p.id} id={p.id} name={p.name} />
        ))}
      </ul>
    </section>
  );
}

function CustomPresetItem({ id, name }: { id: string; name: string }) {
  const t = useT("voice");
  const fetcher = useFetcher();
  if (fetcher.formData) return null;
  return (
    <li className="preset-item">
      <span>{name}</span>
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="delete-preset" />
        <input type="hidden" name="id" value={id} />
        <button type="submit" className="button--ghost danger-outline small">
          {t("customPresets.delete")}
          <span className="visually-hidden"> {t("customPresets.deleteWhich", { name })}</span>
        </button>
      </fetcher.Form>
    </li>
  );
}
