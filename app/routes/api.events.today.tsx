import { apiRoute, methodNotAllowed } from "~/http/api-route.server";
import { depsOf } from "~/models/deps.server";
import { camerasToday } from "~/models/events/camera-day.server";

// GET /api/events/today → { date, timeZone, briefs: [{ deviceId, name, serial, summary, events }],
// withoutAi }: "Today on your cameras" (the devices page loads it after it renders). Only the
// caller's current cameras with AI summaries, each cut to its window (ADR 016); the rest counted.
export const loader = apiRoute({
  method: "GET",
  run: ({ context, user, requestId }) => camerasToday(depsOf(context), { user, requestId }),
});

export const action = methodNotAllowed;
