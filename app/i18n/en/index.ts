/**
 * The English catalogue: one file per area (./<area>.ts), each a namespace of use-intl messages
 * (ICU syntax: `{name}`, `{count, plural, one {# camera} other {# cameras}}`). English is the
 * reference: every other language's catalogue must have exactly these keys (types and
 * test/unit/i18n-catalogues.test.ts).
 */
import { account } from "./account";
import { auth } from "./auth";
import { checkout } from "./checkout";
import { common } from "./common";
import { devices } from "./devices";
import { events } from "./events";
import { field } from "./field";
import { privacy } from "./privacy";
import { search } from "./search";
import { services } from "./services";
import { store } from "./store";
import { voice } from "./voice";
import { watch } from "./watch";

export const en = { common, auth, search, events, watch, field, checkout, store, services, account, devices, voice, privacy };

export type Messages = typeof en;
export type Namespace = keyof Messages;
