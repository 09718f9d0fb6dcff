import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { SummaryQuery } from "~/models/events/inputs";
import { daySummary } from "~/models/events/summary.server";

// GET /api/devices/:id/summary?date=YYYY-MM-DD → { date, summary, events, source, timeZone }: the
// camera's day in the owner's time zone, cut to their window (ADR 016). Owner only (404), AI
// summaries on the plan (403 feature_not_in_plan with upgradeUrl), a real day that has started (400).
export const loader = apiRoute({
  method: "GET",
  params: { id: "device" },
  query: SummaryQuery,
  run: ({ context, id, query, user, requestId }) => daySummary(depsOf(context), id, query.date, { user, requestId }),
});

export const action = methodNotAllowed;
