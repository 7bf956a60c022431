import type { CollectionFailure, ServiceInstance } from "../domain/snapshot";
import { normalizeRegion } from "../domain/snapshot";
import type { InstanceTelemetry, RequestCount } from "../domain/telemetry";
import type { Logger } from "../domain/logger";
import type { AzureClients } from "./azure-clients";
import { mapLimit } from "./map-limit";
import { toCollectionFailure } from "./to-collection-failure";

/**
 * How `Requests` is split. `GatewayResponseCodeCategory` is a function of `GatewayResponseCode`, so
 * naming both costs no extra series; the code tells 401 from 403, the backend code tells a backend 5xx
 * from one the gateway made up, and `LastErrorReason` says why.
 */
export const REQUEST_DIMENSIONS = ["ApiId", "GatewayResponseCodeCategory", "GatewayResponseCode", "BackendResponseCode", "LastErrorReason"] as const;

/** Series asked for per resource. Azure returns 10 unless told; a busy instance has hundreds of combinations. */
export const SERIES_TOP = 5000;
/** The batch API takes at most 50 resources of one subscription, region and type per call. */
export const BATCH_SIZE = 50;
const NAMESPACE = "Microsoft.ApiManagement/service";

/** The time range and grain of a metrics read. */
export interface MetricWindow {
  from: Date;
  to: Date;
  intervalMinutes: number;
}

/**
 * The window ending at the last complete minute (the current one is still filling) and reaching back
 * `windowMinutes`, so grains aligned to `from` all end inside it.
 */
export function metricWindow(now: Date, windowMinutes: number, intervalMinutes: number): MetricWindow {
  const to = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const span = Math.max(intervalMinutes, Math.ceil(windowMinutes / intervalMinutes) * intervalMinutes);
  return { from: new Date(to.getTime() - span * 60_000), to, intervalMinutes };
}

/** ISO 8601 duration for a grain in minutes (`PT5M`, `PT1H`). */
export function isoDuration(minutes: number): string {
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `PT${minutes / 60}H`;
  return `PT${minutes}M`;
}

/** API ids safe to put in a metrics `$filter` as they are; anything else is filtered on our side. */
const PLAIN_API_ID = /^[A-Za-z0-9._~;=-]+$/;

/** The `$filter` that splits `Requests` by {@link REQUEST_DIMENSIONS}, optionally for one API. */
export function requestsFilter(apiId?: string): string {
  return REQUEST_DIMENSIONS.map((d) => (d === "ApiId" && apiId && PLAIN_API_ID.test(apiId) ? `ApiId eq '${apiId}'` : `${d} eq '*'`)).join(" and ");
}

/** A time series as either metrics client returns it. */
export interface SeriesLike {
  metadatavalues?: { name?: string | { value?: string; localizedValue?: string }; value?: string }[];
  data?: { timeStamp?: Date | string; total?: number | null }[];
}

const DIMENSION_KEYS: Record<string, keyof RequestCount> = {
  apiid: "apiId",
  gatewayresponsecodecategory: "gatewayResponseCodeCategory",
  gatewayresponsecode: "gatewayResponseCode",
  backendresponsecode: "backendResponseCode",
  lasterrorreason: "lastErrorReason",
};

/** Category of a status code (`401` → `4xx`), for series that lack the category dimension. */
function categoryOf(code: string): string {
  return /^[1-5]\d\d$/.test(code) ? `${code[0]}xx` : code ? "other" : "";
}

/**
 * Flattens metric time series into {@link RequestCount} cells: dimension names matched without regard
 * to case, points outside the window or without a total dropped, zero counts dropped.
 */
export function toRequestCounts(series: readonly SeriesLike[], window: MetricWindow, apiFilter?: string): RequestCount[] {
  const out: RequestCount[] = [];
  const from = window.from.getTime();
  const to = window.to.getTime();
  for (const s of series) {
    const dims: Record<string, string> = {};
    for (const m of s.metadatavalues ?? []) {
      const raw = typeof m.name === "string" ? m.name : (m.name?.value ?? m.name?.localizedValue ?? "");
      const key = DIMENSION_KEYS[raw.toLowerCase()];
      if (key) dims[key] = m.value ?? "";
    }
    const apiId = dims.apiId ?? "";
    if (apiFilter !== undefined && apiId.toLowerCase() !== apiFilter.toLowerCase()) continue;
    const gatewayResponseCode = dims.gatewayResponseCode ?? "";
    for (const point of s.data ?? []) {
      const total = point.total;
      if (typeof total !== "number" || !Number.isFinite(total) || total <= 0) continue;
      const at = point.timeStamp instanceof Date ? point.timeStamp.getTime() : Date.parse(String(point.timeStamp));
      if (Number.isNaN(at) || at < from || at >= to) continue;
      out.push({
        time: new Date(at).toISOString(),
        apiId,
        gatewayResponseCodeCategory: dims.gatewayResponseCodeCategory || categoryOf(gatewayResponseCode),
        gatewayResponseCode,
        backendResponseCode: dims.backendResponseCode ?? "",
        lastErrorReason: dims.lastErrorReason ?? "",
        count: total,
      });
    }
  }
  return out;
}

/** Azure reports `errorCode: "Success"` on metrics that worked; anything else is a per-metric error. */
export function isMetricError(code: string | undefined): code is string {
  return code !== undefined && code !== "" && code.toLowerCase() !== "success";
}

/** What a metrics read produced: telemetry per instance id, and what failed. */
export interface MetricsReadResult {
  telemetry: Map<string, InstanceTelemetry>;
  failures: CollectionFailure[];
}

function telemetryOf(instance: ServiceInstance, window: MetricWindow, requests: RequestCount[], source: InstanceTelemetry["source"]): InstanceTelemetry {
  return { instanceId: instance.id, from: window.from.toISOString(), to: window.to.toISOString(), intervalMinutes: window.intervalMinutes, requests, source };
}

/** Groups instances for the batch API: same subscription and region, at most {@link BATCH_SIZE} each. */
export function batchGroups(instances: readonly ServiceInstance[]): { subscriptionId: string; region: string; instances: ServiceInstance[] }[] {
  const bySubRegion = new Map<string, ServiceInstance[]>();
  for (const i of instances) {
    const key = `${i.subscriptionId.toLowerCase()}|${normalizeRegion(i.location)}`;
    const list = bySubRegion.get(key) ?? [];
    list.push(i);
    bySubRegion.set(key, list);
  }
  const groups: { subscriptionId: string; region: string; instances: ServiceInstance[] }[] = [];
  for (const list of bySubRegion.values()) {
    const first = list[0] as ServiceInstance;
    for (let k = 0; k < list.length; k += BATCH_SIZE) {
      groups.push({ subscriptionId: first.subscriptionId, region: normalizeRegion(first.location), instances: list.slice(k, k + BATCH_SIZE) });
    }
  }
  return groups;
}

/** Reads `Requests` for one instance through the per-resource ARM metrics API. */
export async function readMetricsArm(clients: AzureClients, instance: ServiceInstance, window: MetricWindow, apiId?: string): Promise<RequestCount[]> {
  const response = await clients.monitor(instance.subscriptionId).metrics.list(instance.id, {
    metricnames: "Requests",
    metricnamespace: NAMESPACE,
    timespan: `${window.from.toISOString()}/${window.to.toISOString()}`,
    interval: isoDuration(window.intervalMinutes),
    aggregation: "Total",
    filter: requestsFilter(apiId),
    top: SERIES_TOP,
  });
  const metric = (response.value ?? []).find((m) => (m.name?.value ?? "").toLowerCase() === "requests");
  if (!metric) return [];
  if (isMetricError(metric.errorCode)) throw Object.assign(new Error(`metrics: ${metric.errorCode} ${metric.errorMessage ?? ""}`.trim()), { code: "MalformedResponse" });
  return toRequestCounts(metric.timeseries ?? [], window, apiId);
}

/**
 * Reads `Requests` for many instances: one batch call per group of the same subscription and region,
 * falling back to per-resource calls for a group whose batch call fails or for an instance it omits.
 */
export async function readMetrics(
  clients: AzureClients,
  instances: readonly ServiceInstance[],
  window: MetricWindow,
  opts: { now: Date; log: Logger; concurrency: number; apiId?: string },
): Promise<MetricsReadResult> {
  const telemetry = new Map<string, InstanceTelemetry>();
  const failures: CollectionFailure[] = [];
  const perResource = async (list: ServiceInstance[]) => {
    await mapLimit(list, opts.concurrency, async (instance) => {
      try {
        telemetry.set(instance.id, telemetryOf(instance, window, await readMetricsArm(clients, instance, window, opts.apiId), "metrics-arm"));
      } catch (err) {
        failures.push(toCollectionFailure(err, { instanceId: instance.id, instance: instance.name, part: "metrics", at: opts.now }));
      }
    });
  };
  await mapLimit(batchGroups(instances), opts.concurrency, async (group) => {
    let results;
    try {
      results = await clients.metrics(group.region).queryResources(
        group.instances.map((i) => i.id),
        ["Requests"],
        NAMESPACE,
        {
          startTime: window.from,
          endTime: window.to,
          interval: isoDuration(window.intervalMinutes),
          aggregation: "Total",
          filter: requestsFilter(opts.apiId),
          top: SERIES_TOP,
        },
      );
    } catch (err) {
      opts.log.warn("metrics batch call failed; reading per resource", { region: group.region, instances: group.instances.length, code: toCollectionFailure(err, { instanceId: "", instance: "", part: "metrics", at: opts.now }).code });
      await perResource(group.instances);
      return;
    }
    const byId = new Map(group.instances.map((i) => [i.id.toLowerCase(), i]));
    const missing = new Set(byId.keys());
    try {
      for (const result of Array.isArray(results) ? results : []) {
        const instance = byId.get((result.resourceId ?? "").toLowerCase());
        if (!instance) continue;
        const metric = (result.metrics ?? []).find((m) => (m.name ?? "").toLowerCase() === "requests");
        if (metric && isMetricError(metric.errorCode)) {
          missing.delete(instance.id.toLowerCase());
          const code = metric.errorCode as string;
          const denied = /forbidden|authorization/i.test(code);
          const err = Object.assign(new Error(`metrics: ${code} ${metric.errorMessage ?? ""}`.trim()), denied ? { statusCode: 403 } : { code: "MalformedResponse" });
          failures.push(toCollectionFailure(err, { instanceId: instance.id, instance: instance.name, part: "metrics", at: opts.now }));
          continue;
        }
        const series = metric?.timeseries ?? [];
        if (series.length >= SERIES_TOP) opts.log.warn("metrics series may be cut off at the top limit", { instance: instance.name, series: series.length });
        telemetry.set(instance.id, telemetryOf(instance, window, toRequestCounts(series, window, opts.apiId), "metrics-batch"));
        missing.delete(instance.id.toLowerCase());
      }
    } catch {
      // A body the mapping cannot make sense of: whatever was not mapped is read per resource.
      opts.log.warn("metrics batch answer not understood; reading per resource", { region: group.region });
    }
    if (missing.size > 0) await perResource([...missing].map((k) => byId.get(k) as ServiceInstance));
  });
  return { telemetry, failures };
}
