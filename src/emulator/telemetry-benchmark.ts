/**
 * Prints how long the telemetry routes take on a busy API (3,000 requests a minute) for the queries a
 * monitoring sweep sends. Run: `npx tsx src/emulator/telemetry-benchmark.ts`.
 */
import { parseApiTraffic } from "./traffic";
import { type EmuRequest, type TelemetryInstance, handleTelemetry } from "./telemetry-routes";

const now = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
const traffic = parseApiTraffic(
  {
    requestsPerMinute: 3000,
    mix: [
      { share: 96, code: 200, backend: 200 },
      { share: 2, code: 404, backend: 404 },
      { share: 1.5, code: 401, reason: "TokenExpired" },
      { share: 0.5, code: 502, reason: "BackendConnectionFailure" },
    ],
    callers: [
      { ip: "203.0.113.5", subscription: "mobile", product: "starter", weight: 3 },
      { ip: "198.51.100.9", subscription: "partner", product: "unlimited", weight: 2 },
      { ip: "192.0.2.77", subscription: "batch", product: "unlimited" },
    ],
    incidents: [{ start: "-12m", end: "-5m", kind: "signing-key-rollover" }],
  },
  "benchmark",
  "traffic",
  now,
);
const instance: TelemetryInstance = {
  id: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-bench/providers/Microsoft.ApiManagement/service/apim-bench",
  name: "apim-bench",
  subscriptionId: "00000000-0000-0000-0000-000000000001",
  location: "West Europe",
  apis: [{ name: "orders", traffic }],
  workspace: { customerId: "11111111-2222-3333-4444-555555555555", resourceId: "/ws", table: "ApiManagementGatewayLogs" },
};

const logs = (query: string): EmuRequest => ({
  method: "POST",
  path: `/v1/workspaces/${instance.workspace!.customerId}/query`,
  query: new URLSearchParams(),
  body: { query, timespan: "PT2H" },
});
const start = new Date(now.getTime() - 2 * 3_600_000).toISOString();
const cases: [string, EmuRequest][] = [
  [
    "metrics 2h PT5M split by ApiId, code, reason",
    {
      method: "GET",
      path: `${instance.id}/providers/Microsoft.Insights/metrics`,
      query: new URLSearchParams({
        timespan: `${start}/${now.toISOString()}`,
        interval: "PT5M",
        metricnames: "Requests",
        aggregation: "Total",
        $filter: "ApiId eq '*' and GatewayResponseCode eq '*' and LastErrorReason eq '*'",
        top: "100",
      }),
      body: undefined,
    },
  ],
  [
    "logs 2h auth failures by reason and 5m bin",
    logs(
      "ApiManagementGatewayLogs | where TimeGenerated > ago(2h) | where ResponseCode in (401, 403) | summarize Failures = count(), Callers = dcount(CallerIpAddress), FirstSeen = min(TimeGenerated), LastSeen = max(TimeGenerated), Sample = take_any(LastErrorMessage) by ApiId, LastErrorReason, bin(TimeGenerated, 5m)",
    ),
  ],
  ["logs 2h count by code and 1h bin", logs("ApiManagementGatewayLogs | summarize count() by ResponseCode, bin(TimeGenerated, 1h)")],
  ["logs 2h average latency by code (every row)", logs("ApiManagementGatewayLogs | summarize avg(TotalTime) by ResponseCode")],
  ["logs take 50 of 401s", logs("ApiManagementGatewayLogs | where ResponseCode == 401 | take 50")],
];

for (const [name, req] of cases) {
  const times: number[] = [];
  let status = 0;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    status = handleTelemetry(req, [instance], now)?.status ?? 0;
    times.push(performance.now() - t0);
  }
  console.log(`${name}: status ${status}, ${times.map((t) => `${t.toFixed(0)} ms`).join(" / ")}`);
}
