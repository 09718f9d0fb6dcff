/** 简体中文 catalogue: the same areas and keys as ../en (the type and the catalogue test check). */
import type { Messages } from "../en";
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

export const zhCN: Messages = { common, auth, search, events, watch, field, checkout, store, services, account, devices, voice, privacy };
