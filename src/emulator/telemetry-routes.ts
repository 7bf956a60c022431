/**
 * The emulator's telemetry routes: ARM per-resource metrics, the metrics batch API and Log Analytics
 * queries, all answered from the traffic models of the estate's APIs.
 */
import type { ApiTraffic } from "./traffic";
import { MetricFilterError, parseMetricFilter } from "./metrics-filter";
import {
  type MetricsQuery,
  MetricsQueryError,
  computeMetrics,
  isoDuration,
  isoSeconds,
  parseAggregations,
  parseInterval,
  parseMetricNames,
  parseOrderBy,
} from "./metrics";
import { queryLogs } from "./logs";

/** An APIM instance as the telemetry routes see it. */
export interface TelemetryInstance {
  /** ARM id. */
  id: string;
  name: string;
  subscriptionId: string;
  location: string;
  apis: { name: string; traffic?: ApiTraffic }[];
  workspace?: { customerId: string; resourceId: string; table: "ApiManagementGatewayLogs" | "AzureDiagnostics" };
}

/** A request as the emulator's server hands it over. */
export interface EmuRequest {
  method: string;
  /** Decoded, leading double slashes collapsed, no query string. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON or undefined. */
  body: unknown;
}

/** The answer to send. */
export interface EmuResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const HOUR = 3_600_000;
const MAX_BATCH = 50;

/** Answers a telemetry route, or undefined when the request is not one. */
export function handleTelemetry(req: EmuRequest, estate: TelemetryInstance[], now: Date): EmuResponse | undefined {
  const path = req.path.replace(/^\/+/, "/");
  const method = req.method.toUpperCase();

  const logs = /^(?:\/v1)?\/workspaces\/([^/]+)\/query$/i.exec(path);
  if (logs) {
    if (method !== "POST" && method !== "GET") return undefined;
    const body = method === "GET" ? { query: req.query.get("query"), timespan: req.query.get("timespan") ?? undefined } : req.body;
    const answer = queryLogs(logs[1]!, body, estate, now);
    return { status: answer.status, body: answer.body };
  }

  const batch = /^(?:\/metrics\/([^/]+))?\/subscriptions\/([^/]+)\/metrics:getBatch$/i.exec(path);
  if (batch) {
    if (method !== "POST") return undefined;
    return metricsBatch(batch[1], batch[2]!, req, estate, now);
  }

  const arm = /^(\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+)\/providers\/Microsoft\.Insights\/metrics$/i.exec(path);
  if (arm) {
    if (method !== "GET") return undefined;
    const inst = estate.find((i) => i.id.toLowerCase() === arm[1]!.toLowerCase());
    if (!inst) {
      return {
        status: 404,
        body: { code: "ResourceNotFound", message: `The Resource '${arm[1]!.split("/").slice(-3).join("/")}' was not found.` },
      };
    }
    return metricsArm(inst, req, now);
  }
  return undefined;
}

function param(q: URLSearchParams, name: string): string | null {
  for (const [k, v] of q) if (k.toLowerCase() === name.toLowerCase()) return v;
  return null;
}

function normaliseRegion(r: string): string {
  return r.toLowerCase().replace(/\s+/g, "");
}

function readQuery(q: URLSearchParams, start: number, end: number): MetricsQuery {
  const metricNames = parseMetricNames(param(q, "metricnames"));
  const filterText = param(q, "$filter") ?? param(q, "filter");
  let filter;
  if (filterText && filterText.trim() !== "") {
    try {
      filter = parseMetricFilter(filterText);
    } catch (err) {
      if (err instanceof MetricFilterError) throw new MetricsQueryError("BadRequest", `Invalid $filter '${filterText}': ${err.message}`);
      throw err;
    }
  }
  const topText = param(q, "top");
  const top = topText === null ? 10 : Number(topText);
  if (!Number.isInteger(top) || top < 1) throw new MetricsQueryError("BadRequest", `Invalid top '${topText}': a positive integer is expected.`);
  const resultType = param(q, "resultType");
  const query: MetricsQuery = {
    start,
    end,
    interval: parseInterval(param(q, "interval")),
    metricNames,
    aggregations: parseAggregations(param(q, "aggregation"), metricNames),
    top,
    metadataOnly: resultType !== null && resultType.toLowerCase() === "metadata",
  };
  if (filter) query.filter = filter;
  const orderBy = parseOrderBy(param(q, "orderby"));
  if (orderBy) query.orderBy = orderBy;
  return query;
}

function parseTime(text: string): number | undefined {
  const t = Date.parse(text);
  return Number.isNaN(t) || !/^\d{4}-/.test(text) ? undefined : t;
}

function parseArmTimespan(text: string | null, now: Date): { start: number; end: number } {
  if (!text) return { start: now.getTime() - HOUR, end: now.getTime() };
  const [a, b] = text.split("/");
  const start = a ? parseTime(a) : undefined;
  const end = b ? parseTime(b) : undefined;
  if (start === undefined || end === undefined || end <= start) {
    throw new MetricsQueryError("BadRequest", `Invalid timespan '${text}': expected 'start/end' in ISO 8601 with start before end.`);
  }
  return { start, end };
}

function intervalText(q: MetricsQuery): string {
  return q.interval === "full" ? isoDuration(q.end - q.start) : isoDuration(q.interval);
}

function metricsArm(inst: TelemetryInstance, req: EmuRequest, now: Date): EmuResponse {
  try {
    const { start, end } = parseArmTimespan(param(req.query, "timespan"), now);
    const q = readQuery(req.query, start, end);
    return {
      status: 200,
      body: {
        cost: 0,
        timespan: `${isoSeconds(start)}/${isoSeconds(end)}`,
        interval: intervalText(q),
        value: computeMetrics(inst, q, now.getTime()),
        namespace: "Microsoft.ApiManagement/service",
        resourceregion: normaliseRegion(inst.location),
      },
    };
  } catch (err) {
    if (err instanceof MetricsQueryError) return { status: 400, body: { code: err.code, message: err.message } };
    throw err;
  }
}

function batchError(code: string, message: string): EmuResponse {
  return { status: 400, body: { error: { code, message } } };
}

function metricsBatch(
  region: string | undefined,
  subscriptionId: string,
  req: EmuRequest,
  estate: TelemetryInstance[],
  now: Date,
): EmuResponse {
  const body = (typeof req.body === "object" && req.body !== null ? req.body : {}) as { resourceids?: unknown };
  const ids = body.resourceids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === "string")) {
    return batchError("BadRequest", "The request body must have a non-empty 'resourceids' array.");
  }
  if (ids.length > MAX_BATCH) {
    return batchError("BadRequest", `Too many resource ids: ${ids.length}. A batch takes at most ${MAX_BATCH}.`);
  }
  const namespace = param(req.query, "metricnamespace");
  if (!namespace || namespace.toLowerCase() !== "microsoft.apimanagement/service") {
    return batchError("BadRequest", `Metric namespace '${namespace ?? ""}' is not valid for these resources: expected Microsoft.ApiManagement/service.`);
  }
  for (const id of ids as string[]) {
    const sub = /^\/subscriptions\/([^/]+)\//i.exec(id)?.[1];
    if (!sub || sub.toLowerCase() !== subscriptionId.toLowerCase()) {
      return batchError("BadRequest", `Resource '${id}' is not in subscription '${subscriptionId}'. All resources of a batch must be in the subscription of the request.`);
    }
    const inst = estate.find((i) => i.id.toLowerCase() === id.toLowerCase());
    if (inst && region && normaliseRegion(inst.location) !== normaliseRegion(region)) {
      return batchError("BadRequest", `Resource '${id}' is in region '${normaliseRegion(inst.location)}', not '${normaliseRegion(region)}'. All resources of a batch must be in the region of the endpoint.`);
    }
  }
  const startText = param(req.query, "starttime");
  const endText = param(req.query, "endtime");
  const end = endText ? parseTime(endText) : now.getTime();
  const start = startText ? parseTime(startText) : (end ?? now.getTime()) - HOUR;
  if (start === undefined || end === undefined || end <= start) {
    return batchError("BadRequest", "starttime and endtime must be ISO 8601 times with starttime before endtime.");
  }
  try {
    const q = readQuery(req.query, start, end);
    const values = (ids as string[]).map((id) => {
      const inst = estate.find((i) => i.id.toLowerCase() === id.toLowerCase());
      const head = {
        starttime: startText ?? isoSeconds(start),
        endtime: endText ?? isoSeconds(end),
        interval: intervalText(q),
        namespace: "microsoft.apimanagement/service",
        resourceregion: inst ? normaliseRegion(inst.location) : (region ?? ""),
        resourceid: id,
      };
      if (!inst) {
        return { ...head, value: [], error: { code: "ResourceNotFound", message: `The resource '${id}' was not found.` } };
      }
      return { ...head, value: computeMetrics(inst, q, now.getTime()) };
    });
    return { status: 200, body: { values } };
  } catch (err) {
    if (err instanceof MetricsQueryError) return batchError(err.code, err.message);
    throw err;
  }
}
