/**
 * The emulator's own control API under `/_emulator/` (same bearer token as the Azure routes):
 * `GET /_emulator/clock`, `POST /_emulator/clock` with `{"set": iso}`, `{"advanceMinutes": n}` or `{"advanceMs": n}`;
 * `GET /_emulator/stats`, `DELETE /_emulator/stats`; `POST /_emulator/faults` with a fault or an array of them,
 * `DELETE /_emulator/faults`.
 */
import { armError, ok, type RouteResult } from "./arm-http";
import { faultProblem, type FaultSpec } from "./faults";
import type { EmuRequest } from "./telemetry-routes";

/** What the control API can act on. */
export interface ControlTarget {
  clock: { now(): Date; set(d: Date): void; advance(ms: number): void };
  stats(): Record<string, number>;
  resetStats(): void;
  injectFault(f: FaultSpec): void;
  clearFaults(): void;
}

/** Handles `/_emulator/*`; undefined for any other path. */
export function handleControl(req: EmuRequest, target: ControlTarget): RouteResult | undefined {
  const path = req.path.toLowerCase().replace(/\/+$/, "");
  if (!path.startsWith("/_emulator/")) return undefined;
  const bad = (message: string): RouteResult => ({ kind: "control", response: armError(400, "BadRequest", message) });
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (path === "/_emulator/clock") {
    if (req.method === "GET") return { kind: "control", response: ok({ now: target.clock.now().toISOString() }) };
    if (req.method !== "POST") return bad("Use GET or POST on /_emulator/clock.");
    if (typeof body.set === "string") {
      const t = Date.parse(body.set);
      if (Number.isNaN(t)) return bad(`'${body.set}' is not an ISO 8601 time.`);
      target.clock.set(new Date(t));
    } else if (typeof body.advanceMinutes === "number" && Number.isFinite(body.advanceMinutes)) {
      target.clock.advance(body.advanceMinutes * 60_000);
    } else if (typeof body.advanceMs === "number" && Number.isFinite(body.advanceMs)) {
      target.clock.advance(body.advanceMs);
    } else {
      return bad('Send {"set": "<ISO time>"}, {"advanceMinutes": n} or {"advanceMs": n}.');
    }
    return { kind: "control", response: ok({ now: target.clock.now().toISOString() }) };
  }
  if (path === "/_emulator/stats") {
    if (req.method === "GET") return { kind: "control", response: ok(target.stats()) };
    if (req.method === "DELETE") {
      target.resetStats();
      return { kind: "control", response: ok({}) };
    }
    return bad("Use GET or DELETE on /_emulator/stats.");
  }
  if (path === "/_emulator/faults") {
    if (req.method === "DELETE") {
      target.clearFaults();
      return { kind: "control", response: ok({}) };
    }
    if (req.method !== "POST") return bad("Use POST or DELETE on /_emulator/faults.");
    const specs = (Array.isArray(req.body) ? req.body : [req.body]) as FaultSpec[];
    for (const spec of specs) {
      if (typeof spec !== "object" || spec === null) return bad("A fault is a JSON object.");
      const problem = faultProblem(spec);
      if (problem) return bad(problem);
    }
    specs.forEach((s) => target.injectFault(s));
    return { kind: "control", response: ok({ added: specs.length }) };
  }
  return { kind: "control", response: armError(404, "NotFound", `No control route ${req.path}.`) };
}
