/**
 * Turns `Requests` metric cells into per-API failure rates: a recent window against the API's own
 * baseline (the earlier part of the telemetry window), and one rate per grain for the chart.
 */
import type { SeriesPoint } from "../domain/finding";
import type { InstanceTelemetry, RequestCount } from "../domain/telemetry";

/** Requests and failures over a span of time. */
export interface Tally {
  total: number;
  failures: number;
  /** failures / total, 0 when there was no traffic. */
  rate: number;
}

/** One time grain of one API. */
export interface GrainTally extends Tally {
  time: string;
}

/** Rates of one kind of failure on one API. */
export interface RateWindow {
  recent: Tally;
  baseline: Tally;
  /** Every grain of the telemetry window, oldest first, zero-filled. */
  grains: GrainTally[];
  /** Start of the recent window. */
  recentFrom: string;
}

/** Cells of the `Requests` metric grouped by API id; cells with no API (unmatched requests) are dropped. */
export function requestsByApi(telemetry: InstanceTelemetry): Map<string, RequestCount[]> {
  const byApi = new Map<string, RequestCount[]>();
  for (const row of telemetry.requests) {
    if (!row.apiId) continue;
    const list = byApi.get(row.apiId);
    if (list) list.push(row);
    else byApi.set(row.apiId, [row]);
  }
  return byApi;
}

function tally(total: number, failures: number): Tally {
  return { total, failures, rate: total > 0 ? failures / total : 0 };
}

/**
 * Splits the telemetry window into baseline and recent parts and tallies `isFailure` cells against all
 * cells of the API. Grains are aligned to the window start.
 *
 * When `elevatedRate` is given, a run of elevated grains right before the recent window is left out of
 * the baseline: it is the start of the same burst, and counting it would let a burst hide behind its own
 * first minutes. A run that reaches back to the window start is kept, because then the level is chronic.
 */
export function rateWindow(
  telemetry: InstanceTelemetry,
  rows: readonly RequestCount[],
  isFailure: (row: RequestCount) => boolean,
  recentMinutes: number,
  elevatedRate?: number,
): RateWindow {
  const from = Date.parse(telemetry.from);
  const to = Date.parse(telemetry.to);
  const grainMs = Math.max(1, telemetry.intervalMinutes) * 60_000;
  const recentFrom = to - recentMinutes * 60_000;
  const count = Math.max(1, Math.ceil((to - from) / grainMs));
  const totals = new Array<number>(count).fill(0);
  const fails = new Array<number>(count).fill(0);
  for (const row of rows) {
    const t = Date.parse(row.time);
    if (Number.isNaN(t) || t < from || t >= to) continue;
    const i = Math.min(count - 1, Math.floor((t - from) / grainMs));
    totals[i] = (totals[i] ?? 0) + row.count;
    if (isFailure(row)) fails[i] = (fails[i] ?? 0) + row.count;
  }
  const grains: GrainTally[] = totals.map((total, i) => ({
    time: new Date(from + i * grainMs).toISOString(),
    ...tally(total, fails[i] ?? 0),
  }));
  const firstRecent = grains.findIndex((g) => Date.parse(g.time) >= recentFrom);
  const split = firstRecent < 0 ? grains.length : firstRecent;
  let baselineEnd = split;
  if (elevatedRate !== undefined) {
    let k = split;
    while (k > 0) {
      const g = grains[k - 1];
      if (!g || g.total === 0 || g.rate < elevatedRate) break;
      k--;
    }
    if (k > 0) baselineEnd = k;
  }
  const sum = (list: GrainTally[]) => tally(list.reduce((n, g) => n + g.total, 0), list.reduce((n, g) => n + g.failures, 0));
  return {
    recent: sum(grains.slice(split)),
    baseline: sum(grains.slice(0, baselineEnd)),
    grains,
    recentFrom: new Date(recentFrom).toISOString(),
  };
}

/** Rate per grain as a percentage with one decimal, for a chart. */
export function rateSeries(grains: readonly GrainTally[]): SeriesPoint[] {
  return grains.map((g) => ({ time: g.time, value: Math.round(g.rate * 1000) / 10 }));
}

/** Counts of `key(row)` over the failing cells, largest first. */
export function topBy(rows: readonly RequestCount[], key: (row: RequestCount) => string, limit = 5): { value: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const k = key(row);
    if (!k) continue;
    counts.set(k, (counts.get(k) ?? 0) + row.count);
  }
  return [...counts.entries()]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
    .slice(0, limit);
}

/** A `LastErrorReason` that names an error (the metric reports `None` or nothing otherwise). */
export function hasReason(row: RequestCount): boolean {
  return row.lastErrorReason !== "" && row.lastErrorReason.toLowerCase() !== "none";
}

/** A backend status code was recorded (the backend answered). */
export function hasBackendCode(row: RequestCount): boolean {
  return row.backendResponseCode !== "" && row.backendResponseCode !== "0";
}
