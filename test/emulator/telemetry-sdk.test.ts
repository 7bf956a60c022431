import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MonitorClient } from "@azure/arm-monitor";
import { MetricsClient } from "@azure/monitor-query-metrics";
import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";
import { parseApiTraffic } from "../../src/emulator/traffic";
import type { TelemetryInstance } from "../../src/emulator/telemetry-routes";
import { type TelemetryServer, fixedCredential, startTelemetryServer } from "./telemetry-harness";

// 10:15:20, so the newest minute (10:15) is a third over and must come back partial.
const NOW = new Date("2026-03-10T10:15:20Z");
const SUB = "3b9e2f71-8c4d-4a6e-9f12-5d7c0e8a1b23";
const WS_GATEWAY = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const WS_LEGACY = "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";

function instanceId(rg: string, name: string): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${name}`;
}

const file = "telemetry-sdk.json";
const healthy = (rpm: number, path: string) =>
  parseApiTraffic(
    {
      requestsPerMinute: rpm,
      mix: [
        { share: 97, code: 200, backend: 200 },
        { share: 2, code: 404, backend: 404 },
        { share: 1, code: 500, backend: 500 },
      ],
    },
    file,
    path,
    NOW,
  );

// Twelve APIs of distinct volume, so a split by ApiId has more series than Azure returns by default.
const busyApis = Array.from({ length: 12 }, (_, i) => ({
  name: `api-${String(i + 1).padStart(2, "0")}`,
  traffic: healthy(20 + i * 15, `instances[0].apis[${i}].traffic`),
}));

const orders = parseApiTraffic(
  {
    requestsPerMinute: 240,
    mix: [
      { share: 98, code: 200, backend: 200 },
      { share: 2, code: 401, reason: "TokenExpired" },
    ],
    callers: [
      { ip: "203.0.113.24", subscription: "mobile-app", product: "starter", weight: 3 },
      { ip: "198.51.100.7", subscription: "partner-feed", product: "unlimited" },
    ],
    incidents: [
      { start: "-9m", end: "-3m", kind: "signing-key-rollover" },
      {
        start: "-20m",
        mix: [{ share: 0.1, code: 401, reason: "TokenAudienceNotAllowed" }],
        callers: [{ ip: "192.0.2.200", subscription: "legacy-portal", product: "starter" }],
      },
    ],
  },
  file,
  "instances[0].apis[12].traffic",
  NOW,
);

const prod: TelemetryInstance = {
  id: instanceId("rg-apim-prod", "apim-contoso-prod-weu"),
  name: "apim-contoso-prod-weu",
  subscriptionId: SUB,
  location: "West Europe",
  apis: [...busyApis, { name: "orders", traffic: orders }],
  workspace: { customerId: WS_GATEWAY, resourceId: "/ws/gateway", table: "ApiManagementGatewayLogs" },
};
const partners: TelemetryInstance = {
  id: instanceId("rg-apim-partners", "apim-contoso-partners"),
  name: "apim-contoso-partners",
  subscriptionId: SUB,
  location: "West Europe",
  apis: [
    {
      name: "billing",
      traffic: parseApiTraffic(
        {
          requestsPerMinute: 90,
          mix: [
            { share: 90, code: 200, backend: 200 },
            { share: 10, code: 502, reason: "BackendConnectionFailure" },
          ],
        },
        file,
        "instances[1].apis[0].traffic",
        NOW,
      ),
    },
  ],
  workspace: { customerId: WS_LEGACY, resourceId: "/ws/legacy", table: "AzureDiagnostics" },
};
const elsewhere: TelemetryInstance = {
  id: instanceId("rg-apim-us", "apim-contoso-eus"),
  name: "apim-contoso-eus",
  subscriptionId: SUB,
  location: "East US",
  apis: [{ name: "catalog", traffic: healthy(50, "instances[2].apis[0].traffic") }],
};

let server: TelemetryServer;
let monitor: MonitorClient;
let metricsWeu: MetricsClient;
let logs: LogsQueryClient;

beforeAll(async () => {
  server = await startTelemetryServer([prod, partners, elsewhere], NOW);
  const options = { tlsOptions: { ca: server.caCertPem }, retryOptions: { maxRetries: 0 } };
  const credential = fixedCredential(server.token);
  monitor = new MonitorClient(credential, SUB, { ...options, endpoint: server.url });
  metricsWeu = new MetricsClient(`${server.url}/metrics/westeurope`, credential, options);
  logs = new LogsQueryClient(credential, { ...options, endpoint: server.url });
});

afterAll(async () => {
  await server?.close();
});

const start = new Date("2026-03-10T09:15:00Z");

type Series = { dims: Record<string, string>; totals: (number | undefined)[] };

function seriesKey(s: Series): string {
  return Object.entries(s.dims)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(",");
}

async function perResource(id: string, filter: string, top?: number, interval = "PT5M"): Promise<Series[]> {
  const res = await monitor.metrics.list(id, {
    timespan: `${start.toISOString()}/${NOW.toISOString()}`,
    interval,
    metricnames: "Requests",
    aggregation: "Total",
    filter,
    ...(top !== undefined ? { top } : {}),
    metricnamespace: "Microsoft.ApiManagement/service",
  });
  return res.value[0]!.timeseries!.map((ts) => ({
    dims: Object.fromEntries((ts.metadatavalues ?? []).map((m) => [m.name!.value!, m.value!])),
    totals: (ts.data ?? []).map((d) => d.total),
  }));
}

describe("per-resource and batch metrics through the real SDK clients", () => {
  it("give the same numbers for the same query", async () => {
    const filter = "ApiId eq '*' and GatewayResponseCodeCategory eq '*'";
    const arm = await perResource(prod.id, filter, 100);
    const [batch] = await metricsWeu.queryResources([prod.id], ["Requests"], "Microsoft.ApiManagement/service", {
      startTime: start,
      endTime: NOW,
      interval: "PT5M",
      aggregation: "Total",
      filter,
      top: 100,
    });
    const batchSeries: Series[] = batch!.metrics[0]!.timeseries!.map((ts) => ({
      dims: Object.fromEntries((ts.metadatavalues ?? []).map((m) => [String(m.name), String(m.value)])),
      totals: (ts.data ?? []).map((d) => d.total),
    }));
    expect(batch!.metrics[0]!.name).toBe("Requests");
    expect(arm.length).toBeGreaterThan(20);
    expect(new Map(batchSeries.map((s) => [seriesKey(s), s.totals]))).toEqual(new Map(arm.map((s) => [seriesKey(s), s.totals])));
    // Dimension names come back in lower case, as Azure Monitor sends them.
    expect(Object.keys(arm[0]!.dims).sort()).toEqual(["apiid", "gatewayresponsecodecategory"]);
  });

  it("keep only 10 series unless top asks for more, dropping the smallest", async () => {
    const byDefault = await perResource(prod.id, "ApiId eq '*'", undefined, "PT1H");
    const all = await perResource(prod.id, "ApiId eq '*'", 100, "PT1H");
    expect(all).toHaveLength(13);
    expect(byDefault).toHaveLength(10);
    const sum = (s: Series): number => s.totals.reduce<number>((a, b) => a + (b ?? 0), 0);
    const kept = new Set(byDefault.map((s) => s.dims.apiid));
    const dropped = all.filter((s) => !kept.has(s.dims.apiid));
    const smallestKept = Math.min(...byDefault.map(sum));
    for (const s of dropped) expect(sum(s)).toBeLessThanOrEqual(smallestKept);
    expect(dropped.map((s) => s.dims.apiid)).toContain("api-01");
  });

  it("report the newest minute as partial", async () => {
    const perMinute = await perResource(prod.id, "ApiId eq 'api-12'", undefined, "PT1M");
    const totals = perMinute[0]!.totals as number[];
    const last = totals[totals.length - 1]!;
    const fullMinutes = totals.slice(-6, -1);
    const mean = fullMinutes.reduce((a, b) => a + b, 0) / fullMinutes.length;
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(mean * 0.6);
  });

  it("refuse a batch that mixes regions, as Azure does", async () => {
    await expect(
      metricsWeu.queryResources([prod.id, elsewhere.id], ["Requests"], "Microsoft.ApiManagement/service", {
        startTime: start,
        endTime: NOW,
        interval: "PT5M",
        aggregation: "Total",
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe("gateway logs through the real SDK client", () => {
  const windowStart = new Date("2026-03-10T09:55:00Z");

  it("count the same 401s as the Requests metric, by reason", async () => {
    const metric = await monitor.metrics.list(prod.id, {
      timespan: `${windowStart.toISOString()}/${NOW.toISOString()}`,
      interval: "PT1M",
      metricnames: "Requests",
      aggregation: "Total",
      filter: "ApiId eq 'orders' and GatewayResponseCode eq '401' and LastErrorReason eq '*'",
      top: 50,
    });
    const fromMetrics = new Map(
      metric.value[0]!.timeseries!.map((ts) => [
        ts.metadatavalues!.find((m) => m.name!.value === "lasterrorreason")!.value!,
        (ts.data ?? []).reduce((s, d) => s + (d.total ?? 0), 0),
      ]),
    );
    const result = await logs.queryWorkspace(
      WS_GATEWAY,
      `ApiManagementGatewayLogs
       | where ApiId == 'orders' and ResponseCode == 401
       | summarize Failures = count(), Callers = dcount(CallerIpAddress), FirstSeen = min(TimeGenerated) by LastErrorReason
       | order by Failures desc`,
      { startTime: windowStart, endTime: NOW },
    );
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    if (result.status !== LogsQueryResultStatus.Success) return;
    const table = result.tables[0]!;
    const fromLogs = new Map(table.rows.map((r) => [r[0] as string, r[1] as number]));
    expect(fromLogs).toEqual(fromMetrics);
    expect([...fromLogs.keys()].sort()).toEqual(["TokenAudienceNotAllowed", "TokenExpired", "TokenSignatureKeyNotFound"]);
    // The audience failures come from the one stale client the incident names.
    const audience = table.rows.find((r) => r[0] === "TokenAudienceNotAllowed")!;
    expect(audience[2]).toBe(1);
    // Types: datetime arrives as a Date, long as a number, string as a string.
    expect(table.columnDescriptors.map((c) => c.type)).toEqual(["string", "long", "long", "datetime"]);
    expect(audience[3]).toBeInstanceOf(Date);
    expect((audience[3] as Date).getTime()).toBeGreaterThanOrEqual(new Date("2026-03-10T09:55:00Z").getTime());
  });

  it("show a signing-key rollover burst that clears within minutes", async () => {
    const result = await logs.queryWorkspace(
      WS_GATEWAY,
      "ApiManagementGatewayLogs | where LastErrorReason == 'TokenSignatureKeyNotFound' | summarize n = count() by Minute = bin(TimeGenerated, 1m) | order by Minute asc",
      { duration: "PT30M" },
    );
    if (result.status !== LogsQueryResultStatus.Success) throw new Error("query failed");
    const rows = result.tables[0]!.rows as [Date, number][];
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    expect(first[0].toISOString()).toBe("2026-03-10T10:06:00.000Z");
    expect(last[0].getTime()).toBeLessThan(new Date("2026-03-10T10:12:00Z").getTime());
    expect(first[1]).toBeGreaterThan(last[1] * 2);
  });

  it("quote a token fragment in some JWT failure messages, for redaction to catch", async () => {
    const result = await logs.queryWorkspace(
      WS_GATEWAY,
      "ApiManagementGatewayLogs | where LastErrorReason startswith 'Token' | where LastErrorMessage has 'Bearer' | project ApiId, LastErrorMessage | take 5",
      { duration: "PT1H" },
    );
    if (result.status !== LogsQueryResultStatus.Success) throw new Error("query failed");
    expect(result.tables[0]!.rows.length).toBe(5);
    expect(String(result.tables[0]!.rows[0]![1])).toMatch(/Bearer eyJ[A-Za-z0-9_-]+\./);
  });

  it("serve legacy AzureDiagnostics rows for a workspace in that mode", async () => {
    const result = await logs.queryWorkspace(
      WS_LEGACY,
      "AzureDiagnostics | where Category == 'GatewayLogs' and responseCode_d >= 500 | summarize n = count() by ResourceId, apiId_s, lastError_reason_s, backendResponseCode_d",
      { duration: "PT15M" },
    );
    if (result.status !== LogsQueryResultStatus.Success) throw new Error("query failed");
    const rows = result.tables[0]!.rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]![0]).toBe(partners.id.toUpperCase());
    expect(rows[0]!.slice(1, 4)).toEqual(["billing", "BackendConnectionFailure", null]);
    expect(rows[0]![4]).toBeGreaterThan(50);
  });

  it("answer 404 for an unknown workspace and 400 naming an unsupported operator", async () => {
    await expect(logs.queryWorkspace("99999999-0000-0000-0000-000000000000", "ApiManagementGatewayLogs | take 1", { duration: "PT1H" })).rejects.toMatchObject({
      statusCode: 404,
    });
    const err = await logs
      .queryWorkspace(WS_GATEWAY, "ApiManagementGatewayLogs | join kind=inner (AzureDiagnostics) on CorrelationId", { duration: "PT1H" })
      .catch((e: unknown) => e as { statusCode?: number; message?: string; details?: unknown });
    expect(err).toMatchObject({ statusCode: 400 });
    expect(JSON.stringify(err)).toContain("join");
  });

  it("accepts the logs path without /v1, as the client sends it with a custom endpoint", () => {
    expect(server.seen.some((r) => r.url.startsWith(`/workspaces/${WS_GATEWAY}/query`))).toBe(true);
  });
});
