import { expect } from "vitest";

type Json = Record<string, any>;

/** A stand-in's own control endpoint (`/__standin/<path>`): GET without a body, POST with one; must answer 200. */
export async function standinControl(base: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${base}/__standin/${path}`, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
  return (await res.json()) as Json;
}
