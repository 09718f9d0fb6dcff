import type { InputHTMLAttributes, ReactNode } from "react";
import type { FormReply } from "~/http/form-action.server";

/**
 * A labelled input that shows the server's sentence for it (FormReply.fieldErrors) and keeps what
 * was typed after a refusal (FormReply.values), with or without JavaScript. The error is tied to
 * the input with aria-describedby and aria-invalid.
 */
export function Field({
  name,
  label,
  hint,
  reply,
  id = name,
  defaultValue,
  ...input
}: { name: string; label: ReactNode; hint?: ReactNode; reply?: FormReply | null; id?: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id">) {
  const error = reply?.fieldErrors?.[name];
  const errorId = `${id}-error`;
  const kept = reply && !reply.ok ? reply.values?.[name] : undefined;
  return (
    <label htmlFor={id}>
      {label} {hint ? <span className="field-hint">{hint}</span> : null}
      <input
        id={id}
        name={name}
        // Each reply (its id) remounts the input: a refused form shows what was typed, every successful one starts clean.
        key={reply ? `${reply.id ?? ""}:${reply.intent}:${reply.ok}:${kept ?? ""}` : "initial"}
        // (defaultValue is taken out of `input`: spread after this line, it would hide what was typed.)
        defaultValue={kept ?? defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        {...input}
      />
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
    </label>
  );
}
