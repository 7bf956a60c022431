/**
 * The traffic model of one API in a scenario: a rate, a response mix, callers and incident windows,
 * from which the emulator derives per-minute metric counts and gateway log rows.
 *
 * Format (the `traffic` block of an API in a scenario file; every field but `requestsPerMinute` optional):
 *
 * ```json
 * "traffic": {
 *   "requestsPerMinute": 120,
 *   "dailyShape": [0.2, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1, 1.2, 1.3, 1.3, 1.2,
 *                  1.2, 1.3, 1.3, 1.2, 1.1, 1, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2],
 *   "latencyMs": { "gateway": 15, "backend": 90 },
 *   "mix": [
 *     { "share": 96, "code": 200, "backend": 200 },
 *     { "share": 3, "code": 404, "backend": 404 },
 *     { "share": 1, "code": 401, "reason": "TokenExpired" }
 *   ],
 *   "callers": [
 *     { "ip": "203.0.113.24", "subscription": "mobile-app", "product": "starter", "user": "1", "weight": 3 },
 *     { "ip": "198.51.100.7", "subscription": "partner-feed", "product": "unlimited" }
 *   ],
 *   "incidents": [
 *     { "start": "-25m", "mix": [{ "share": 0.4, "code": 502, "reason": "BackendConnectionFailure" }] },
 *     { "start": "-9m", "end": "-4m", "kind": "signing-key-rollover" },
 *     { "start": "-3h", "end": "-2h", "volume": 4 }
 *   ]
 * }
 * ```
 *
 * - `requestsPerMinute`: the mean rate. `dailyShape` (24 numbers, one per UTC hour) multiplies it.
 *   Each minute's volume varies by up to ±10 %, deterministically.
 * - `mix`: response cells. `share` is a relative weight (the shares are normalised). `code` is the
 *   gateway's response code; `backend` the backend's code, left out when the gateway answered without
 *   calling the backend; `reason` the `LastErrorReason`; `message` overrides the `LastErrorMessage`
 *   (a realistic one is derived from the reason otherwise). Default: all `200` from a `200` backend.
 * - `callers`: who sends the requests (for gateway logs); `weight` defaults to 1. Default: three
 *   documentation-range addresses with no subscription.
 * - `incidents[]`: windows that change the traffic. `start` is required, `end` optional (open window,
 *   still going). Times are relative to the emulator's clock at load (`-20m`, `+1h`, `-2d`, `-1h30m`,
 *   units `s m h d`, or `now`) or ISO 8601. In the window:
 *   - `volume` multiplies the rate, or `requestsPerMinute` replaces it;
 *   - `mix` overlays cells whose `share` is an absolute fraction (0..1) of the window's requests; the rest
 *     keeps the base mix. Shares summing to 1 replace the mix entirely;
 *   - `shape`: `steady` (default) or `decay`, where the overlay fades linearly to nothing at `end`;
 *   - `latencyFactor` multiplies the latencies; `callers` replaces the callers of the overlay cells
 *     (e.g. one client with a stale token);
 *   - `kind: "signing-key-rollover"` is shorthand for a decaying overlay of 401s with reason
 *     `TokenSignatureKeyNotFound` (share 0.5 unless `mix` is given); it needs an `end`.
 *
 * Generation is deterministic, seeded by the API name (plus `seed` if given) and the minute, so per-resource
 * metrics, batch metrics and log rows agree to the request. The newest minute is partial: only requests
 * whose timestamp is before the clock count.
 */
import { ScenarioError } from "./scenario-error";
import { parseTimeSpec, resolveTime, type TimeSpec } from "./relative-time";

/** One kind of response in a mix. */
export interface ResponseCell {
  /** Relative weight in a base mix; absolute fraction 0..1 in an incident overlay. */
  share: number;
  /** Gateway response code. */
  code: number;
  /** Backend response code; undefined when the backend was not called. */
  backend?: number;
  /** `LastErrorReason`, e.g. `BackendConnectionFailure`. */
  reason?: string;
  /** `LastErrorMessage`; derived from {@link reason} when absent. */
  message?: string;
}

/** A client of the API, as gateway logs show it. */
export interface Caller {
  ip: string;
  subscription?: string;
  product?: string;
  user?: string;
  weight: number;
}

/** A window that changes an API's traffic, with times resolved against a clock. */
export interface TrafficIncident {
  start: Date;
  /** Undefined: still going. */
  end?: Date;
  volume?: number;
  requestsPerMinute?: number;
  mix: ResponseCell[];
  shape: "steady" | "decay";
  latencyFactor?: number;
  callers?: Caller[];
  kind?: "signing-key-rollover";
}

/** An incident as the scenario writes it: times still relative to the emulator's clock at load. */
export type TrafficIncidentSpec = Omit<TrafficIncident, "start" | "end"> & { start: TimeSpec; end?: TimeSpec; path: string };

/** A traffic block read and validated once, before any clock is known. */
export type TrafficSpec = Omit<ApiTraffic, "incidents"> & { incidents: TrafficIncidentSpec[]; file: string };

/** The traffic model of one API, with incident times resolved. */
export interface ApiTraffic {
  requestsPerMinute: number;
  /** 24 multipliers, one per UTC hour, or undefined for a flat day. */
  dailyShape?: number[];
  latencyMs: { gateway: number; backend: number };
  mix: ResponseCell[];
  callers: Caller[];
  incidents: TrafficIncident[];
  seed: string;
}


/** Resolves `-20m`, `+1h`, `-1h30m`, `now` or an ISO 8601 time against `now`; undefined when malformed. */
export function resolveRelativeTime(text: string, now: Date): Date | undefined {
  try {
    return resolveTime(parseTimeSpec(text, "", ""), now);
  } catch {
    return undefined;
  }
}

/** Reads and resolves a traffic block in one step (tests and benchmarks; the emulator reads once and resolves at start). */
export function parseApiTraffic(raw: unknown, file: string, path: string, now: Date = new Date()): ApiTraffic {
  return resolveTraffic(readTraffic(raw, file, path), now);
}

/** Incident times resolved against the emulator's clock; an end that falls before its start is refused. */
export function resolveTraffic(spec: TrafficSpec, now: Date): ApiTraffic {
  const { file, incidents, ...rest } = spec;
  return {
    ...rest,
    incidents: incidents.map(({ path, start, end, ...inc }) => {
      const out: TrafficIncident = { ...inc, start: resolveTime(start, now) };
      if (end !== undefined) {
        out.end = resolveTime(end, now);
        if (out.end.getTime() <= out.start.getTime()) throw new ScenarioError(file, `${path}.end`, "must be after start");
      }
      return out;
    }),
  };
}

/** Reads a traffic block strictly; incident times stay relative until {@link resolveTraffic}. */
export function readTraffic(raw: unknown, file: string, path: string): TrafficSpec {
  const fail = (at: string, problem: string): never => {
    throw new ScenarioError(file, at, problem);
  };
  const obj = asObject(raw, path, fail);
  allowKeys(obj, path, ["requestsPerMinute", "dailyShape", "latencyMs", "mix", "callers", "incidents", "seed"], fail);

  const requestsPerMinute = nonNegative(obj.requestsPerMinute, `${path}.requestsPerMinute`, fail, true)!;
  let dailyShape: number[] | undefined;
  if (obj.dailyShape !== undefined) {
    if (!Array.isArray(obj.dailyShape) || obj.dailyShape.length !== 24) {
      fail(`${path}.dailyShape`, "must be an array of 24 numbers, one per UTC hour");
    }
    dailyShape = (obj.dailyShape as unknown[]).map((v, i) => nonNegative(v, `${path}.dailyShape[${i}]`, fail, true)!);
  }
  let latencyMs = { gateway: 20, backend: 80 };
  if (obj.latencyMs !== undefined) {
    const l = asObject(obj.latencyMs, `${path}.latencyMs`, fail);
    allowKeys(l, `${path}.latencyMs`, ["gateway", "backend"], fail);
    latencyMs = {
      gateway: nonNegative(l.gateway, `${path}.latencyMs.gateway`, fail, false) ?? 20,
      backend: nonNegative(l.backend, `${path}.latencyMs.backend`, fail, false) ?? 80,
    };
  }
  const mix =
    obj.mix === undefined ? [{ share: 1, code: 200, backend: 200 }] : parseMix(obj.mix, `${path}.mix`, false, fail);
  if (mix.reduce((s, c) => s + c.share, 0) <= 0) fail(`${path}.mix`, "the shares must not all be zero");
  const callers = obj.callers === undefined ? defaultCallers() : parseCallers(obj.callers, `${path}.callers`, fail);
  const incidents: TrafficIncidentSpec[] = [];
  if (obj.incidents !== undefined) {
    if (!Array.isArray(obj.incidents)) fail(`${path}.incidents`, "must be an array");
    (obj.incidents as unknown[]).forEach((inc, i) => incidents.push(parseIncident(inc, `${path}.incidents[${i}]`, file, fail)));
  }
  let seed = "";
  if (obj.seed !== undefined) {
    if (typeof obj.seed !== "string") fail(`${path}.seed`, "must be a string");
    seed = obj.seed as string;
  }
  return { requestsPerMinute, dailyShape, latencyMs, mix, callers, incidents, seed, file };
}

type Fail = (at: string, problem: string) => never;

function asObject(v: unknown, at: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) fail(at, "must be an object");
  return v as Record<string, unknown>;
}

function allowKeys(o: Record<string, unknown>, at: string, keys: string[], fail: Fail): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) fail(`${at}.${k}`, `unknown field (expected one of ${keys.join(", ")})`);
  }
}

function nonNegative(v: unknown, at: string, fail: Fail, required: boolean): number | undefined {
  if (v === undefined && !required) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) fail(at, "must be a non-negative number");
  return v as number;
}

function statusCode(v: unknown, at: string, fail: Fail): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 100 || v > 599) fail(at, "must be an HTTP status code (100-599)");
  return v as number;
}

function optionalString(v: unknown, at: string, fail: Fail): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") fail(at, "must be a non-empty string");
  return v as string;
}

function parseMix(raw: unknown, at: string, absolute: boolean, fail: Fail): ResponseCell[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(at, "must be a non-empty array of response cells");
  const cells = (raw as unknown[]).map((c, i) => {
    const p = `${at}[${i}]`;
    const o = asObject(c, p, fail);
    allowKeys(o, p, ["share", "code", "backend", "reason", "message"], fail);
    const share = nonNegative(o.share, `${p}.share`, fail, true)!;
    if (absolute && share > 1) fail(`${p}.share`, "an incident's share is a fraction of its requests: 0 to 1");
    const cell: ResponseCell = { share, code: statusCode(o.code, `${p}.code`, fail) };
    if (o.backend !== undefined) cell.backend = statusCode(o.backend, `${p}.backend`, fail);
    const reason = optionalString(o.reason, `${p}.reason`, fail);
    if (reason !== undefined) cell.reason = reason;
    const message = optionalString(o.message, `${p}.message`, fail);
    if (message !== undefined) cell.message = message;
    return cell;
  });
  if (absolute && cells.reduce((s, c) => s + c.share, 0) > 1 + 1e-9) fail(at, "the shares of an incident's mix add up to more than 1");
  return cells;
}

function parseCallers(raw: unknown, at: string, fail: Fail): Caller[] {
  if (!Array.isArray(raw) || raw.length === 0) fail(at, "must be a non-empty array of callers");
  return (raw as unknown[]).map((c, i) => {
    const p = `${at}[${i}]`;
    const o = asObject(c, p, fail);
    allowKeys(o, p, ["ip", "subscription", "product", "user", "weight"], fail);
    const ip = optionalString(o.ip, `${p}.ip`, fail);
    if (ip === undefined) fail(`${p}.ip`, "is required");
    const caller: Caller = { ip: ip!, weight: nonNegative(o.weight, `${p}.weight`, fail, false) ?? 1 };
    const subscription = optionalString(o.subscription, `${p}.subscription`, fail);
    if (subscription !== undefined) caller.subscription = subscription;
    const product = optionalString(o.product, `${p}.product`, fail);
    if (product !== undefined) caller.product = product;
    const user = optionalString(o.user, `${p}.user`, fail);
    if (user !== undefined) caller.user = user;
    return caller;
  });
}

function defaultCallers(): Caller[] {
  return [
    { ip: "203.0.113.10", weight: 3 },
    { ip: "198.51.100.23", weight: 2 },
    { ip: "192.0.2.41", weight: 1 },
  ];
}

function parseTime(v: unknown, at: string, file: string, fail: Fail): TimeSpec {
  if (typeof v !== "string") fail(at, "must be a time: relative like \"-20m\", \"+1h\", \"-2d\", or ISO 8601");
  return parseTimeSpec(v, file, at);
}

/** Whether two times of the same kind are in order; a relative and an absolute one are compared once resolved. */
function before(a: TimeSpec, b: TimeSpec): boolean | undefined {
  if ("offsetMs" in a && "offsetMs" in b) return a.offsetMs < b.offsetMs;
  if ("absoluteMs" in a && "absoluteMs" in b) return a.absoluteMs < b.absoluteMs;
  return undefined;
}

function parseIncident(raw: unknown, at: string, file: string, fail: Fail): TrafficIncidentSpec {
  const o = asObject(raw, at, fail);
  allowKeys(o, at, ["start", "end", "volume", "requestsPerMinute", "mix", "shape", "latencyFactor", "callers", "kind"], fail);
  const start = parseTime(o.start, `${at}.start`, file, fail);
  const end = o.end === undefined ? undefined : parseTime(o.end, `${at}.end`, file, fail);
  if (end !== undefined && before(start, end) === false) fail(`${at}.end`, "must be after start");
  if (o.volume !== undefined && o.requestsPerMinute !== undefined) {
    fail(`${at}.volume`, "give either volume or requestsPerMinute, not both");
  }
  let kind: TrafficIncident["kind"];
  if (o.kind !== undefined) {
    if (o.kind !== "signing-key-rollover") fail(`${at}.kind`, "the only kind is \"signing-key-rollover\"");
    kind = "signing-key-rollover";
    if (end === undefined) fail(`${at}.end`, "a signing-key rollover clears by itself: give it an end");
  }
  let shape: TrafficIncident["shape"] = kind ? "decay" : "steady";
  if (o.shape !== undefined) {
    if (o.shape !== "steady" && o.shape !== "decay") fail(`${at}.shape`, "must be \"steady\" or \"decay\"");
    shape = o.shape as TrafficIncident["shape"];
  }
  if (shape === "decay" && end === undefined) fail(`${at}.end`, "a decaying incident needs an end");
  const mix =
    o.mix !== undefined
      ? parseMix(o.mix, `${at}.mix`, true, fail)
      : kind
        ? [{ share: 0.5, code: 401, reason: "TokenSignatureKeyNotFound" }]
        : [];
  const incident: TrafficIncidentSpec = { start, mix, shape, path: at };
  if (end !== undefined) incident.end = end;
  if (kind !== undefined) incident.kind = kind;
  const volume = nonNegative(o.volume, `${at}.volume`, fail, false);
  if (volume !== undefined) incident.volume = volume;
  const rpm = nonNegative(o.requestsPerMinute, `${at}.requestsPerMinute`, fail, false);
  if (rpm !== undefined) incident.requestsPerMinute = rpm;
  const lf = nonNegative(o.latencyFactor, `${at}.latencyFactor`, fail, false);
  if (lf !== undefined) incident.latencyFactor = lf;
  if (o.callers !== undefined) incident.callers = parseCallers(o.callers, `${at}.callers`, fail);
  if (mix.length === 0 && volume === undefined && rpm === undefined && lf === undefined) {
    fail(at, "an incident must change something: mix, volume, requestsPerMinute, latencyFactor or kind");
  }
  return incident;
}
