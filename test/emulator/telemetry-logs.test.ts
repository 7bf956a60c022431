import { describe, expect, it } from "vitest";
import { parseApiTraffic } from "../../src/emulator/traffic";
import { type EmuResponse, type TelemetryInstance, handleTelemetry } from "../../src/emulator/telemetry-routes";

const NOW = new Date("2026-03-10T10:15:42Z");
const SUB = "c41d7e09-2a5f-4b38-8e61-9f0a3d2c7b54";
const WS = "5f2b8c1d-9e47-4a3b-b6d0-2c8e7f1a9d35";
const id = `/subscriptions/${SUB}/resourceGroups/rg-apim-dev/providers/Microsoft.ApiManagement/service/apim-contoso-dev`;

const estate: TelemetryInstance[] = [
  {
    id,
    name: "apim-contoso-dev",
    subscriptionId: SUB,
    location: "North Europe",
    apis: [
      {
        name: "customers-api",
        traffic: parseApiTraffic(
          {
            requestsPerMinute: 900,
            mix: [
              { share: 95, code: 200, backend: 200 },
              { share: 3, code: 401, reason: "TokenExpired" },
              { share: 1, code: 403, reason: "SubscriptionKeyInvalid" },
              { share: 1, code: 504, backend: 504 },
            ],
            callers: [
              { ip: "203.0.113.51", subscription: "loyalty-app", product: "unlimited", weight: 2 },
              { ip: "203.0.113.52", subscription: "call-centre", product: "starter" },
              { ip: "198.51.100.90", subscription: "crm-sync", product: "unlimited" },
            ],
            incidents: [{ start: "-14m", end: "-8m", kind: "signing-key-rollover" }],
          },
          "demo.json",
          "instances[1].apis[0].traffic",
          NOW,
        ),
      },
      { name: "echo-api" },
    ],
    workspace: { customerId: WS, resourceId: "/ws", table: "ApiManagementGatewayLogs" },
  },
];

function logs(query: string, timespan?: string): EmuResponse {
  return handleTelemetry(
    { method: "POST", path: `/v1/workspaces/${WS}/query`, query: new URLSearchParams(), body: timespan ? { query, timespan } : { query } },
    estate,
    NOW,
  )!;
}

function rows(res: EmuResponse): unknown[][] {
  expect(res.status).toBe(200);
  return (res.body as { tables: { rows: unknown[][] }[] }).tables[0]!.rows;
}

function metricTotal(start: string, end: string, filter: string): number {
  const res = handleTelemetry(
    {
      method: "GET",
      path: `${id}/providers/Microsoft.Insights/metrics`,
      query: new URLSearchParams({ timespan: `${start}/${end}`, interval: "PT1M", metricnames: "Requests", aggregation: "Total", $filter: filter }),
      body: undefined,
    },
    estate,
    NOW,
  )!;
  const body = res.body as { value: { timeseries: { data: { total?: number }[] }[] }[] };
  return body.value[0]!.timeseries.reduce((s, ts) => s + ts.data.reduce((a, d) => a + (d.total ?? 0), 0), 0);
}

describe("gateway log rows against the Requests metric", () => {
  it.each([
    ["2026-03-10T09:40:00Z", "2026-03-10T10:00:00Z"],
    ["2026-03-10T10:00:00Z", NOW.toISOString()],
    ["2026-03-10T10:13:00Z", NOW.toISOString()],
    ["2026-03-10T08:15:00Z", NOW.toISOString()],
  ])("count the same 401s and 403s from %s to %s", (start, end) => {
    const fromLogs = rows(
      logs(
        `ApiManagementGatewayLogs | where TimeGenerated >= datetime(${start}) and TimeGenerated < datetime(${end}) | where ResponseCode in (401, 403) | summarize count()`,
      ),
    )[0]![0];
    const fromMetrics = metricTotal(start, end, "GatewayResponseCode eq '401' or GatewayResponseCode eq '403'");
    expect(fromMetrics).toBeGreaterThan(0);
    expect(fromLogs).toBe(fromMetrics);
  });

  it("answers the same counts whether the window comes from the body or from the query", () => {
    const viaBody = rows(logs("ApiManagementGatewayLogs | summarize count() by ResponseCode | order by ResponseCode asc", "PT30M"));
    const viaQuery = rows(
      logs("ApiManagementGatewayLogs | where TimeGenerated > ago(30m) | summarize count() by ResponseCode | order by ResponseCode asc"),
    );
    expect(viaBody).toEqual(viaQuery);
    expect(viaBody.map((r) => r[0])).toEqual([200, 401, 403, 504]);
  });

  it("fills the caller, product and subscription of each request, and leaves APIs without traffic empty", () => {
    const byCaller = rows(
      logs(
        "ApiManagementGatewayLogs | where ResponseCode == 403 | summarize n = count() by CallerIpAddress, ApimSubscriptionId, ProductId | order by n desc",
        "PT1H",
      ),
    );
    // The caller with twice the weight leads; the other two send about the same.
    expect(byCaller[0]!.slice(0, 3)).toEqual(["203.0.113.51", "loyalty-app", "unlimited"]);
    expect(byCaller.slice(1).map((r) => r.slice(0, 3).join(" ")).sort()).toEqual([
      "198.51.100.90 crm-sync unlimited",
      "203.0.113.52 call-centre starter",
    ]);
    const share = (byCaller[0]![3] as number) / byCaller.reduce((s, r) => s + (r[3] as number), 0);
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(rows(logs("ApiManagementGatewayLogs | where ApiId == 'echo-api' | count", "P1D"))).toEqual([[0]]);
  });

  it("gives each request its own time, correlation id and latency, and the instance's resource id", () => {
    const sample = rows(
      logs("ApiManagementGatewayLogs | where ResponseCode == 504 | project TimeGenerated, CorrelationId, TotalTime, BackendResponseCode, _ResourceId | take 40", "PT10M"),
    );
    expect(sample).toHaveLength(40);
    expect(new Set(sample.map((r) => r[1])).size).toBe(40);
    for (const r of sample) {
      expect(r[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(Date.parse(r[0] as string)).toBeLessThan(NOW.getTime());
      expect(r[2]).toBeGreaterThan(0);
      expect(r.slice(3)).toEqual([504, id.toLowerCase()]);
    }
  });

  it("refuses a malformed timespan and an unknown table", () => {
    expect(logs("ApiManagementGatewayLogs | count", "last hour").status).toBe(400);
    const res = logs("AppRequests | count", "PT1H");
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("AppRequests");
  });
});
