/**
 * Azure Monitor platform metrics of `Microsoft.ApiManagement/service`, computed from the traffic model:
 * `Requests` (with its eight dimensions), `Duration`, `BackendDuration` and `Capacity`.
 */
import type { TelemetryInstance } from "./telemetry-routes";
import { trafficMinute } from "./traffic-generate";
import { type MetricFilter, filterDimensions, matchesFilter } from "./metrics-filter";

const MINUTE = 60_000;

/** A metrics request the service would refuse. */
export class MetricsQueryError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "MetricsQueryError";
    this.code = code;
  }
}

/** One metrics query, already validated. Times are epoch ms. */
export interface MetricsQuery {
  start: number;
  end: number;
  /** Grain in ms, or `full` for one point over the whole span. */
  interval: number | "full";
  metricNames: string[];
  /** Lower-case: `total`, `count`, `average`, `maximum`, `minimum`. */
  aggregations: string[];
  filter?: MetricFilter;
  top: number;
  orderBy?: { aggregation: string; descending: boolean };
  metadataOnly: boolean;
}

interface MetricDef {
  name: string;
  localized: string;
  description: string;
  unit: string;
  dimensions: string[];
}

/** The metric definitions the emulator serves, by lower-case name. */
export const METRIC_DEFINITIONS: Record<string, MetricDef> = {
  requests: {
    name: "Requests",
    localized: "Requests",
    description: "Gateway request metrics with multiple dimensions",
    unit: "Count",
    dimensions: [
      "Location",
      "Hostname",
      "LastErrorReason",
      "BackendResponseCode",
      "GatewayResponseCode",
      "BackendResponseCodeCategory",
      "GatewayResponseCodeCategory",
      "ApiId",
    ],
  },
  duration: {
    name: "Duration",
    localized: "Overall Duration of Gateway Requests",
    description: "Overall Duration of Gateway Requests in milliseconds",
    unit: "MilliSeconds",
    dimensions: ["Location", "Hostname", "ApiId"],
  },
  backendduration: {
    name: "BackendDuration",
    localized: "Duration of Backend Requests",
    description: "Duration of Backend Requests in milliseconds",
    unit: "MilliSeconds",
    dimensions: ["Location", "Hostname", "ApiId"],
  },
  capacity: {
    name: "Capacity",
    localized: "Capacity",
    description: "Utilization metric for ApiManagement service.",
    unit: "Percent",
    dimensions: ["Location"],
  },
};

const AGGREGATIONS = ["total", "count", "average", "maximum", "minimum"];
const GRAINS: Record<string, number> = {
  PT1M: MINUTE,
  PT5M: 5 * MINUTE,
  PT15M: 15 * MINUTE,
  PT30M: 30 * MINUTE,
  PT1H: 60 * MINUTE,
  PT6H: 360 * MINUTE,
  PT12H: 720 * MINUTE,
  P1D: 1440 * MINUTE,
};

/** Parses an `interval` (PT1M ... P1D, or FULL); throws {@link MetricsQueryError}. */
export function parseInterval(text: string | null | undefined): number | "full" {
  if (!text) return MINUTE;
  if (text.toUpperCase() === "FULL") return "full";
  const ms = GRAINS[text.toUpperCase()];
  if (ms === undefined) {
    throw new MetricsQueryError("BadRequest", `Invalid time grain '${text}'. Supported: ${Object.keys(GRAINS).join(", ")}, FULL.`);
  }
  return ms;
}

/** Formats a span in ms as an ISO 8601 duration. */
export function isoDuration(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ""}${m || !h ? `${m}M` : ""}`;
}

/** An ISO time without milliseconds, as Azure Monitor writes it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Splits `Total,count` into lower-case aggregation names; throws on unknown ones. */
export function parseAggregations(text: string | null | undefined, metricNames: string[]): string[] {
  if (!text) {
    // Azure falls back to each metric's primary aggregation; all four served metrics count or average.
    return metricNames.every((n) => n.toLowerCase() === "requests") ? ["total"] : ["average"];
  }
  const out = text.split(",").map((a) => a.trim().toLowerCase()).filter(Boolean);
  for (const a of out) {
    if (!AGGREGATIONS.includes(a)) throw new MetricsQueryError("BadRequest", `Invalid aggregation '${a}'. Supported: Total, Count, Average, Maximum, Minimum.`);
  }
  return out;
}

/** Parses `orderby` such as `Total desc`. */
export function parseOrderBy(text: string | null | undefined): MetricsQuery["orderBy"] {
  if (!text) return undefined;
  const m = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(text);
  if (!m || !AGGREGATIONS.includes(m[1]!.toLowerCase())) {
    throw new MetricsQueryError("BadRequest", `Invalid orderby '${text}': expected an aggregation and asc or desc.`);
  }
  return { aggregation: m[1]!.toLowerCase(), descending: (m[2] ?? "desc").toLowerCase() === "desc" };
}

/** Splits a comma-separated `metricnames`; throws for a metric the service does not have. */
export function parseMetricNames(text: string | null | undefined): string[] {
  if (!text) return ["Requests"];
  const names = text.split(",").map((n) => n.trim()).filter(Boolean);
  for (const n of names) {
    if (!METRIC_DEFINITIONS[n.toLowerCase()]) {
      throw new MetricsQueryError(
        "BadRequest",
        `Failed to find metric configuration for provider: Microsoft.ApiManagement, resource Type: service, metric: ${n}, Valid metrics: ${Object.values(METRIC_DEFINITIONS).map((d) => d.name).join(",")}`,
      );
    }
  }
  return names;
}

interface Acc {
  sum: number;
  count: number;
  max: number;
  min: number;
}

interface Sample {
  dims: Record<string, string>;
  sum: number;
  count: number;
  max: number;
  min: number;
}

function minuteSamples(inst: TelemetryInstance, metric: string, minute: number, now: number): Sample[] {
  const location = inst.location;
  const hostname = `${inst.name}.azure-api.net`;
  const out: Sample[] = [];
  let instanceRequests = 0;
  for (const api of inst.apis) {
    if (!api.traffic) continue;
    const mt = trafficMinute(api.name, api.traffic, minute, now);
    let n = 0;
    let backendN = 0;
    for (const cell of mt.cells) {
      if (cell.visible === 0) continue;
      n += cell.visible;
      if (cell.backend !== undefined) backendN += cell.visible;
      if (metric === "requests") {
        out.push({
          dims: {
            location,
            hostname,
            apiid: api.name,
            gatewayresponsecode: String(cell.code),
            gatewayresponsecodecategory: `${Math.floor(cell.code / 100)}xx`,
            backendresponsecode: cell.backend === undefined ? "" : String(cell.backend),
            backendresponsecodecategory: cell.backend === undefined ? "" : `${Math.floor(cell.backend / 100)}xx`,
            lasterrorreason: cell.reason ?? "None",
          },
          sum: cell.visible,
          count: cell.visible,
          max: 1,
          min: 1,
        });
      }
    }
    instanceRequests += n;
    const dims = { location, hostname, apiid: api.name };
    if (metric === "duration" && n > 0) {
      const avg = (mt.gatewayMs * n + mt.backendMs * backendN) / n;
      out.push({ dims, sum: avg * n, count: n, max: avg * 2.5, min: avg * 0.3 });
    }
    if (metric === "backendduration" && backendN > 0) {
      out.push({ dims, sum: mt.backendMs * backendN, count: backendN, max: mt.backendMs * 2.5, min: mt.backendMs * 0.3 });
    }
  }
  if (metric === "capacity" && minute < now) {
    const v = Math.min(97, Math.round(4 + instanceRequests / 60));
    out.push({ dims: { location }, sum: v, count: 1, max: v, min: v });
  }
  return out;
}

/** The `value` array (one entry per metric) of a metrics response for one instance. */
export function computeMetrics(inst: TelemetryInstance, q: MetricsQuery, now: number): unknown[] {
  const split = filterDimensions(q.filter);
  const startMinute = Math.floor(q.start / MINUTE) * MINUTE;
  const buckets: number[] = [];
  if (q.interval === "full") {
    buckets.push(startMinute);
  } else {
    for (let b = Math.floor(q.start / q.interval) * q.interval; b < q.end; b += q.interval) buckets.push(b);
  }
  const bucketOf = (minute: number): number => {
    if (q.interval === "full") return 0;
    return Math.floor((minute - buckets[0]!) / q.interval);
  };
  return q.metricNames.map((name) => {
    const def = METRIC_DEFINITIONS[name.toLowerCase()]!;
    const allowed = def.dimensions.map((d) => d.toLowerCase());
    for (const d of split) {
      if (!allowed.includes(d)) {
        throw new MetricsQueryError(
          "BadRequest",
          `Metric: ${def.name} does not support requested dimension combination: ${d}, supported ones are: ${def.dimensions.join(",")}`,
        );
      }
    }
    const series = new Map<string, { dims: Record<string, string>; accs: Acc[] }>();
    for (let minute = startMinute; minute < q.end; minute += MINUTE) {
      for (const s of minuteSamples(inst, def.name.toLowerCase(), minute, now)) {
        if (!matchesFilter(q.filter, s.dims)) continue;
        const key = split.map((d) => s.dims[d] ?? "").join("\u0000");
        let entry = series.get(key);
        if (!entry) {
          const dims: Record<string, string> = {};
          for (const d of split) dims[d] = s.dims[d] ?? "";
          entry = { dims, accs: buckets.map(() => ({ sum: 0, count: 0, max: -Infinity, min: Infinity })) };
          series.set(key, entry);
        }
        const acc = entry.accs[bucketOf(minute)]!;
        acc.sum += s.sum;
        acc.count += s.count;
        acc.max = Math.max(acc.max, s.max);
        acc.min = Math.min(acc.min, s.min);
      }
    }
    if (series.size === 0 && split.length === 0) {
      series.set("", { dims: {}, accs: buckets.map(() => ({ sum: 0, count: 0, max: -Infinity, min: Infinity })) });
    }
    let list = [...series.values()];
    if (split.length > 0) {
      const orderAgg = q.orderBy?.aggregation ?? q.aggregations[0] ?? "total";
      const descending = q.orderBy?.descending ?? true;
      const rank = (accs: Acc[]): number => accs.reduce((s, a) => s + (valueOf(a, orderAgg) ?? 0), 0);
      list = list
        .map((s) => ({ s, r: rank(s.accs) }))
        .sort((a, b) => (descending ? b.r - a.r : a.r - b.r))
        .slice(0, q.top)
        .map((x) => x.s);
    }
    return {
      id: `${inst.id}/providers/Microsoft.Insights/metrics/${def.name}`,
      type: "Microsoft.Insights/metrics",
      name: { value: def.name, localizedValue: def.localized },
      displayDescription: def.description,
      unit: def.unit,
      timeseries: list.map((s) => ({
        metadatavalues: split.map((d) => ({ name: { value: d, localizedValue: d }, value: s.dims[d] })),
        data: q.metadataOnly
          ? []
          : s.accs.map((a, i) => {
              const point: Record<string, unknown> = { timeStamp: isoSeconds(buckets[i]!) };
              for (const agg of q.aggregations) {
                const v = valueOf(a, agg);
                if (v !== undefined) point[agg] = v;
              }
              return point;
            }),
      })),
      errorCode: "Success",
    };
  });
}

function valueOf(a: Acc, agg: string): number | undefined {
  switch (agg) {
    case "total":
      return a.sum;
    case "count":
      return a.count;
    case "average":
      return a.count > 0 ? a.sum / a.count : undefined;
    case "maximum":
      return a.count > 0 ? a.max : undefined;
    case "minimum":
      return a.count > 0 ? a.min : undefined;
    default:
      return undefined;
  }
}
