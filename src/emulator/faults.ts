/** One injected fault: which requests it hits, how often, and what it does to them. */
export interface FaultSpec {
  /** Glob on the decoded request path (`*` within a segment, `**` across segments), case-insensitive. */
  path?: string;
  /** Regular expression on the decoded request path, case-insensitive; used when `path` is absent. */
  pathRegex?: string;
  /** Only this HTTP method (any when absent). */
  method?: string;
  /** The first N matching requests, or every one. Default 1. */
  count?: number | "always";
  /** Delay before answering (alone, or before the other effect). */
  latencyMs?: number;
  /** Answer with this status instead: 429 (throttled), 500 or 503. */
  status?: 429 | 500 | 503;
  /** `Retry-After` seconds on a 429 or 503 (default 1 for 429). */
  retryAfterSeconds?: number;
  /** `hang`: hold the socket open without answering (until `holdMs`, default 120 s); `reset`: destroy it. */
  timeout?: "hang" | "reset";
  /** How long a `hang` holds the socket before destroying it. */
  holdMs?: number;
  /** Answer 200 with a truncated JSON body. */
  malformed?: boolean;
}

/** What the server should do to one request. */
export interface FaultEffect {
  latencyMs: number;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  timeout?: "hang" | "reset";
  holdMs: number;
  malformed: boolean;
}

interface ActiveFault {
  spec: FaultSpec;
  matcher: RegExp;
  remaining: number;
}

/** Turns a path glob into an anchored, case-insensitive regular expression. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? "";
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        out += ".*";
        i++;
      } else {
        out += "[^/]*";
      }
    } else if (ch === "?") {
      out += "[^/]";
    } else {
      out += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${out}$`, "i");
}

/** Checks a fault spec; returns the problem in words, or undefined when it is usable. */
export function faultProblem(spec: FaultSpec): string | undefined {
  if (spec.path === undefined && spec.pathRegex === undefined) return "a fault needs `path` (glob) or `pathRegex`";
  if (spec.pathRegex !== undefined) {
    try {
      new RegExp(spec.pathRegex, "i");
    } catch (e) {
      return `pathRegex is not a regular expression: ${(e as Error).message}`;
    }
  }
  if (spec.count !== undefined && spec.count !== "always" && !(Number.isInteger(spec.count) && spec.count > 0)) {
    return "count must be a positive integer or \"always\"";
  }
  if (spec.status !== undefined && ![429, 500, 503].includes(spec.status)) return "status must be 429, 500 or 503";
  if (spec.timeout !== undefined && spec.timeout !== "hang" && spec.timeout !== "reset") return "timeout must be \"hang\" or \"reset\"";
  const effects = [spec.status !== undefined, spec.timeout !== undefined, spec.malformed === true].filter(Boolean).length;
  if (effects > 1) return "give at most one of status, timeout and malformed (latency may go with any)";
  if (effects === 0 && !(spec.latencyMs !== undefined && spec.latencyMs > 0)) return "a fault must do something: latencyMs, status, timeout or malformed";
  for (const key of ["latencyMs", "retryAfterSeconds", "holdMs"] as const) {
    const v = spec[key];
    if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= 0)) return `${key} must be a non-negative number`;
  }
  return undefined;
}

/** The faults in force, consumed as matching requests arrive. */
export class FaultTable {
  private faults: ActiveFault[] = [];

  /** Adds a fault; throws when the spec is unusable. */
  add(spec: FaultSpec): void {
    const problem = faultProblem(spec);
    if (problem) throw new Error(`invalid fault: ${problem}`);
    const matcher = spec.path !== undefined ? globToRegExp(spec.path) : new RegExp(spec.pathRegex ?? "", "i");
    const count = spec.count ?? 1;
    this.faults.push({ spec, matcher, remaining: count === "always" ? Number.POSITIVE_INFINITY : count });
  }

  clear(): void {
    this.faults = [];
  }

  /** The effect for this request, consuming one use of the first fault that matches. */
  take(method: string, path: string): FaultEffect | undefined {
    for (const fault of this.faults) {
      if (fault.remaining <= 0) continue;
      if (fault.spec.method !== undefined && fault.spec.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!fault.matcher.test(path)) continue;
      fault.remaining -= 1;
      const s = fault.spec;
      const effect: FaultEffect = { latencyMs: s.latencyMs ?? 0, holdMs: s.holdMs ?? 120_000, malformed: s.malformed === true };
      if (s.status !== undefined) effect.status = s.status;
      if (s.status === 429) effect.retryAfterSeconds = s.retryAfterSeconds ?? 1;
      else if (s.retryAfterSeconds !== undefined) effect.retryAfterSeconds = s.retryAfterSeconds;
      if (s.timeout !== undefined) effect.timeout = s.timeout;
      return effect;
    }
    return undefined;
  }
}
