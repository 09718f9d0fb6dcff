/**
 * One zod schema per device use case, used by the API route and the page form alike (a form sends
 * strings; each schema accepts both).
 */
import { z } from "zod";
import { CAMERA_NAME_MAX_CHARS } from "~/domain/camera-name";
import type { Messages } from "~/i18n/en";
import { catalogueProblem } from "~/i18n/problem-keys";

/** A field problem of the devices catalogue (devices.problems.*), said in the request's language. */
const problem = (key: keyof Messages["devices"]["problems"]) => catalogueProblem(`devices.problems.${key}`);

/** Serials are printed on the label: letters, digits and dashes (e.g. N4K-000001). */
export const SerialInput = z
  .string()
  .trim()
  .min(3, problem("serialShort"))
  .max(32, problem("serialLong"))
  .regex(/^[A-Za-z0-9-]+$/, problem("serialChars"));

export const ActivationCodeInput = z
  .string()
  .trim()
  .min(4, problem("codeShort"))
  .max(32, problem("codeLong"))
  .regex(/^[A-Za-z0-9 -]+$/, problem("codeChars"));

/** POST /api/devices/activate, the activate and check-trial forms. */
export const ActivateInput = z.object({ serial: SerialInput, activationCode: ActivationCodeInput });

/** The one-time token of a transfer link (32 random bytes, base64url). */
export const TRANSFER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

const DeviceIdInput = z.string().min(8).max(64);
const TransferIdInput = z.string().min(8).max(64);

/** A JSON boolean, or a form checkbox ("on") / "true" / "false". */
const FormBoolean = z.union([z.boolean(), z.enum(["on", "true", "false"]).transform((v) => v !== "false")]);

/** POST /api/devices/:id/transfers, the offer form. */
export const TransferOfferInput = z.object({
  toEmail: z.email(problem("email")).max(254),
  includeSim: FormBoolean.default(false),
});

/** Page forms (the API routes take the id from the URL). */
export const UnbindForm = z.object({ deviceId: DeviceIdInput });
export const TransferOfferForm = TransferOfferInput.extend({ deviceId: DeviceIdInput });
export const CancelTransferForm = z.object({ transferId: TransferIdInput });
export const AcceptTransferForm = z.object({
  transferId: TransferIdInput.optional(),
  token: z.string().regex(TRANSFER_TOKEN).optional(),
});

/**
 * POST /api/devices/:id/name and the rename form on the device page: 1–40 characters after
 * trimming (so a name of only spaces is empty), no control characters.
 */
export const CameraNameInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, problem("nameEmpty"))
    .max(CAMERA_NAME_MAX_CHARS, problem("nameLong"))
    // eslint-disable-next-line no-control-regex -- the rule is exactly "no control characters"
    .regex(/^[^\u0000-\u001f\u007f]+$/, problem("nameChars")),
});
