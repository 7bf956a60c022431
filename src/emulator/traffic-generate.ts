/**
 * Deterministic generation of requests from a traffic model: the same API and minute always give the
 * same counts, callers and timestamps, so metrics and logs agree to the request.
 */
import type { ApiTraffic, Caller, ResponseCell } from "./traffic";

const MINUTE = 60_000;

/** One response kind in one minute, with its request count. */
export interface MinuteCell {
  /** Stable identity of the cell within the API, used to seed its requests. */
  key: string;
  code: number;
  backend?: number;
  reason?: string;
  message?: string;
  callers: Caller[];
  /** Requests in the whole minute. */
  full: number;
  /** Requests whose timestamp is before the clock (equals `full` except in the newest minute). */
  visible: number;
}

/** The traffic of one API in one minute. */
export interface MinuteTraffic {
  /** Minute start, epoch ms. */
  minute: number;
  cells: MinuteCell[];
  /** Mean latencies this minute, ms. */
  gatewayMs: number;
  backendMs: number;
}

/** One generated request, as a gateway log row needs it. */
export interface GeneratedRequest {
  time: number;
  caller: Caller;
  /** Index of {@link caller} in the cell's callers. */
  callerIndex: number;
  totalMs: number;
  backendMs: number;
  correlationId: string;
  /** A per-request uniform value in [0,1), for choosing among variants. */
  variant: number;
}

/** 32-bit FNV-1a of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function step(h: number, v: number): number {
  let x = (h ^ v) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Mixes two integers (each below 2^32, e.g. a minute index and a counter) into a hash, murmur3-style. */
export function mixHash(h: number, a: number, b = 0): number {
  return step(step(h, a), b);
}

/** Maps a hash to [0,1). */
export function unitOf(h: number): number {
  return h / 4294967296;
}

/** Seed for an API's generated traffic. */
export function apiSeed(apiName: string, traffic: ApiTraffic): number {
  return hashString(`${traffic.seed}|${apiName}`);
}

function inWindow(start: Date, end: Date | undefined, t: number): boolean {
  return t >= start.getTime() && (end === undefined || t < end.getTime());
}

function roundStochastic(expected: number, u: number): number {
  const base = Math.floor(expected);
  return base + (u < expected - base ? 1 : 0);
}

/** The requests of one API in the minute starting at `minute` (epoch ms), as seen at `now` (epoch ms). */
export function trafficMinute(apiName: string, traffic: ApiTraffic, minute: number, now: number): MinuteTraffic {
  const seed = apiSeed(apiName, traffic);
  const minuteIndex = Math.floor(minute / MINUTE);
  // An incident applies to a minute if the minute's middle lies in it, so a window is whole minutes.
  const probe = minute + MINUTE / 2;
  let rpm = traffic.requestsPerMinute;
  if (traffic.dailyShape) rpm *= traffic.dailyShape[new Date(minute).getUTCHours()]!;
  let latencyFactor = 1;
  const overlay: { cell: ResponseCell; share: number; callers: Caller[]; key: string }[] = [];
  traffic.incidents.forEach((inc, k) => {
    if (!inWindow(inc.start, inc.end, probe)) return;
    if (inc.requestsPerMinute !== undefined) rpm = inc.requestsPerMinute;
    if (inc.volume !== undefined) rpm *= inc.volume;
    if (inc.latencyFactor !== undefined) latencyFactor *= inc.latencyFactor;
    let factor = 1;
    if (inc.shape === "decay" && inc.end) {
      const span = inc.end.getTime() - inc.start.getTime();
      factor = Math.max(0, 1 - (probe - inc.start.getTime()) / span);
    }
    inc.mix.forEach((cell, j) =>
      overlay.push({ cell, share: cell.share * factor, callers: inc.callers ?? traffic.callers, key: `i${k}.${j}` }),
    );
  });
  const jitter = 0.9 + 0.2 * unitOf(mixHash(seed, minuteIndex, 1));
  const total = rpm * jitter;
  let overlayShare = overlay.reduce((s, o) => s + o.share, 0);
  const scale = overlayShare > 1 ? 1 / overlayShare : 1;
  overlayShare = Math.min(1, overlayShare);
  const baseWeight = traffic.mix.reduce((s, c) => s + c.share, 0);
  const cells: MinuteCell[] = [];
  const add = (cell: ResponseCell, share: number, callers: Caller[], key: string): void => {
    const h = mixHash(seed, minuteIndex, hashString(key));
    const full = roundStochastic(total * share, unitOf(h));
    if (full === 0) return;
    const out: MinuteCell = { key, code: cell.code, callers, full, visible: visibleCount(h, full, minute, now) };
    if (cell.backend !== undefined) out.backend = cell.backend;
    if (cell.reason !== undefined) out.reason = cell.reason;
    if (cell.message !== undefined) out.message = cell.message;
    cells.push(out);
  };
  traffic.mix.forEach((cell, i) => add(cell, ((1 - overlayShare) * cell.share) / baseWeight, traffic.callers, `b${i}`));
  for (const o of overlay) add(o.cell, o.share * scale, o.callers, o.key);
  const noise = 0.85 + 0.3 * unitOf(mixHash(seed, minuteIndex, 2));
  return {
    minute,
    cells,
    gatewayMs: traffic.latencyMs.gateway * latencyFactor * noise,
    backendMs: traffic.latencyMs.backend * latencyFactor * noise,
  };
}

/** Millisecond offset of request `i` of `full` inside its minute; increasing in `i`. */
function offsetOf(cellHash: number, i: number, full: number): number {
  return Math.floor(((i + unitOf(mixHash(cellHash, i, 3))) * MINUTE) / full);
}

function visibleCount(cellHash: number, full: number, minute: number, now: number): number {
  if (minute + MINUTE <= now) return full;
  if (minute >= now) return 0;
  const elapsed = now - minute;
  let n = Math.min(full, Math.floor((elapsed * full) / MINUTE));
  while (n > 0 && offsetOf(cellHash, n - 1, full) >= elapsed) n--;
  while (n < full && offsetOf(cellHash, n, full) < elapsed) n++;
  return n;
}

function cellHashOf(apiName: string, traffic: ApiTraffic, minute: number, cell: MinuteCell): number {
  return mixHash(apiSeed(apiName, traffic), Math.floor(minute / MINUTE), hashString(cell.key));
}

const GOLDEN = 0.6180339887498949;

/**
 * The caller of request `i`: a golden-ratio sequence from a seeded start spreads the callers evenly
 * over the minute, and is much cheaper than a hash per request on busy APIs.
 */
function callerOf(callers: Caller[], total: number, cellHash: number, i: number): number {
  if (callers.length === 1) return 0;
  const u = (unitOf(cellHash) + i * GOLDEN) % 1;
  let x = u * total;
  for (let k = 0; k < callers.length; k++) {
    x -= callers[k]!.weight;
    if (x < 0) return k;
  }
  return callers.length - 1;
}

function weightOf(callers: Caller[]): number {
  return callers.reduce((s, c) => s + c.weight, 0);
}

/** The first request index of a cell whose timestamp is at or after `t` (offsets increase with the index). */
function firstIndexAt(cellHash: number, cell: MinuteCell, minute: number, t: number): number {
  let lo = 0;
  let hi = cell.visible;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (minute + offsetOf(cellHash, mid, cell.full) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A caller's share of one cell-minute: how many requests, and the times of the first and last. */
export interface CallerSpan {
  n: number;
  /** Epoch ms of the caller's first and last request; NaN when `n` is 0. */
  first: number;
  last: number;
}

/**
 * What each caller sent of a cell's visible requests (index-aligned with `cell.callers`), counting only
 * requests with a timestamp in [from, to) when given.
 */
export function callerSpans(
  apiName: string,
  traffic: ApiTraffic,
  minute: number,
  cell: MinuteCell,
  from = -Infinity,
  to = Infinity,
): CallerSpan[] {
  const spans: CallerSpan[] = cell.callers.map(() => ({ n: 0, first: NaN, last: NaN }));
  const h = cellHashOf(apiName, traffic, minute, cell);
  const lo = from > minute ? firstIndexAt(h, cell, minute, from) : 0;
  const hi = to < minute + MINUTE ? firstIndexAt(h, cell, minute, to) : cell.visible;
  if (hi <= lo) return spans;
  if (cell.callers.length === 1) {
    spans[0] = { n: hi - lo, first: minute + offsetOf(h, lo, cell.full), last: minute + offsetOf(h, hi - 1, cell.full) };
    return spans;
  }
  const total = weightOf(cell.callers);
  const firstIndex = new Array<number>(cell.callers.length).fill(-1);
  const lastIndex = new Array<number>(cell.callers.length).fill(-1);
  for (let i = lo; i < hi; i++) {
    const c = callerOf(cell.callers, total, h, i);
    spans[c]!.n += 1;
    if (firstIndex[c] === -1) firstIndex[c] = i;
    lastIndex[c] = i;
  }
  spans.forEach((span, c) => {
    if (span.n === 0) return;
    span.first = minute + offsetOf(h, firstIndex[c]!, cell.full);
    span.last = minute + offsetOf(h, lastIndex[c]!, cell.full);
  });
  return spans;
}

/** The visible requests of one cell, optionally only those from one caller (by index). */
export function cellRequests(
  apiName: string,
  traffic: ApiTraffic,
  mt: MinuteTraffic,
  cell: MinuteCell,
  onlyCaller?: number,
): GeneratedRequest[] {
  const h = cellHashOf(apiName, traffic, mt.minute, cell);
  const total = weightOf(cell.callers);
  const out: GeneratedRequest[] = [];
  for (let i = 0; i < cell.visible; i++) {
    const callerIndex = callerOf(cell.callers, total, h, i);
    if (onlyCaller !== undefined && callerIndex !== onlyCaller) continue;
    const u = unitOf(mixHash(h, i, 7));
    const backendMs = cell.backend === undefined ? 0 : Math.round(mt.backendMs * (0.4 + 1.2 * u));
    const totalMs = backendMs + Math.round(mt.gatewayMs * (0.5 + unitOf(mixHash(h, i, 8))));
    out.push({
      time: mt.minute + offsetOf(h, i, cell.full),
      caller: cell.callers[callerIndex]!,
      callerIndex,
      totalMs,
      backendMs,
      correlationId: uuidFrom(mixHash(h, i, 11), mixHash(h, i, 12)),
      variant: unitOf(mixHash(h, i, 9)),
    });
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex32(n: number): string {
  return HEX[n >>> 24]! + HEX[(n >>> 16) & 255]! + HEX[(n >>> 8) & 255]! + HEX[n & 255]!;
}

function uuidFrom(a: number, b: number): string {
  const y = hex32(b);
  const z = hex32(Math.imul(a ^ b, 0x9e3779b1) >>> 0);
  return `${hex32(a)}-${y.slice(0, 4)}-4${y.slice(5, 8)}-a${z.slice(0, 3)}-${z.slice(3)}${hex32(a ^ 0x5bd1e995).slice(0, 7)}`;
}
