import { ScenarioError } from "./scenario-error";

/** A scenario time: an offset from the emulator's clock at load, or an absolute instant. */
export type TimeSpec = { offsetMs: number } | { absoluteMs: number };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `"-45m"`, `"+5d"`, `"now"` or an ISO 8601 instant; refuses anything else. */
export function parseTimeSpec(value: unknown, file: string, path: string): TimeSpec {
  if (typeof value !== "string") throw new ScenarioError(file, path, `expected a time such as "-45m", "+5d" or an ISO 8601 instant, got ${describe(value)}`);
  const text = value.trim();
  if (text === "now") return { offsetMs: 0 };
  const rel = /^([+-])((?:\d+(?:\.\d+)?[smhdw])+)$/.exec(text);
  if (rel) {
    let ms = 0;
    for (const part of (rel[2] ?? "").matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) ms += Number(part[1]) * (UNIT_MS[part[2] ?? "m"] ?? 0);
    return { offsetMs: rel[1] === "-" ? -ms : ms };
  }
  // Only full ISO instants: a bare date would silently mean local midnight on some machines.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return { absoluteMs: ms };
  }
  throw new ScenarioError(file, path, `"${text}" is not a time: use a signed offset with unit s, m, h, d or w ("-45m", "+5d", "-1h30m"), "now", or an ISO 8601 instant with a zone`);
}

/** Turns a time spec into an instant, relative ones against `now`. */
export function resolveTime(spec: TimeSpec, now: Date): Date {
  return "offsetMs" in spec ? new Date(now.getTime() + spec.offsetMs) : new Date(spec.absoluteMs);
}

/** A short description of a JSON value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string "${value.length > 40 ? value.slice(0, 40) + "…" : value}"`;
  return `${typeof value === "object" ? "an object" : `the ${typeof value} ${String(value)}`}`;
}
