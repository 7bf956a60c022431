import { LogsQueryClient, LogsQueryResultStatus } from "@azure/monitor-query-logs";
import { MetricsClient } from "@azure/monitor-query-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { clientOptions, monitor, PREMIUM, PROD_SUB, staticCredential } from "./sdk-clients";

// The demo's planted incidents, seen through the emulator's HTTPS server and the real metrics clients.
const NOW = new Date("2026-03-10T10:15:00Z");
const ID = `/subscriptions/${PROD_SUB}/resourceGroups/${PREMIUM.rg}/providers/Microsoft.ApiManagement/service/${PREMIUM.name}`;
const FILTER = "ApiId eq 'orders-api' and GatewayResponseCode eq '*' and LastErrorReason eq '*'";
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ scenario: "scenarios/demo.json", now: NOW, frozenClock: true });
});
afterAll(async () => {
  await emu.close();
});

async function ordersLast15m(): Promise<Map<string, number>> {
  const now = emu.clock.now();
  const res = await monitor(emu, PROD_SUB).metrics.list(ID, {
    timespan: `${new Date(now.getTime() - 15 * 60_000).toISOString()}/${now.toISOString()}`,
    interval: "PT15M",
    metricnames: "Requests",
    aggregation: "Total",
    filter: FILTER,
    top: 50,
    metricnamespace: "Microsoft.ApiManagement/service",
  });
  const cells = new Map<string, number>();
  for (const ts of res.value[0]?.timeseries ?? []) {
    const dims = Object.fromEntries((ts.metadatavalues ?? []).map((m) => [(m.name?.value ?? "").toLowerCase(), m.value ?? ""]));
    const total = (ts.data ?? []).reduce((s, d) => s + (d.total ?? 0), 0);
    const key = `${dims.gatewayresponsecode}/${dims.lasterrorreason}`;
    cells.set(key, (cells.get(key) ?? 0) + total);
  }
  return cells;
}

describe("demo estate through the emulator's server", () => {
  it("shows the orders-api BackendConnectionFailure spike now, and not after the incident ends", async () => {
    const during = await ordersLast15m();
    const all = [...during.values()].reduce((a, b) => a + b, 0);
    const failures = during.get("502/BackendConnectionFailure") ?? 0;
    expect(all).toBeGreaterThan(1000);
    expect(failures / all).toBeGreaterThan(0.25);
    expect(failures / all).toBeLessThan(0.45);

    emu.clock.advance(2 * 3_600_000); // past the incident's end at +25m
    const after = await ordersLast15m();
    expect(after.get("502/BackendConnectionFailure") ?? 0).toBe(0);
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    emu.clock.set(NOW);
  });

  it("answers the batch metrics API under the {region} endpoint with the same numbers", async () => {
    const endpoint = emu.env.APIMBOT_METRICS_ENDPOINT!.replace("{region}", "westeurope");
    const client = new MetricsClient(endpoint, staticCredential(emu.token), clientOptions(emu));
    const [batch] = await client.queryResources([ID], ["Requests"], "Microsoft.ApiManagement/service", {
      startTime: new Date(NOW.getTime() - 15 * 60_000),
      endTime: NOW,
      interval: "PT15M",
      aggregation: "Total",
      filter: FILTER,
      top: 50,
    });
    const batchTotal = (batch?.metrics[0]?.timeseries ?? []).flatMap((t) => t.data ?? []).reduce((s, d) => s + (d.total ?? 0), 0);
    const armTotal = [...(await ordersLast15m()).values()].reduce((a, b) => a + b, 0);
    expect(batchTotal).toBe(armTotal);
    expect(emu.stats()["metrics.batch"]).toBe(1);
    expect(emu.stats()["metrics.arm"]).toBeGreaterThanOrEqual(1);
  });
});

describe("demo gateway logs through the emulator's server", () => {
  it("shows the payments-api TokenAudienceNotAllowed burst in the workspace the diagnostic setting names", async () => {
    const logs = new LogsQueryClient(staticCredential(emu.token), { ...clientOptions(emu), endpoint: emu.env.APIMBOT_LOGS_ENDPOINT });
    const query = "ApiManagementGatewayLogs | where ResponseCode == 401 | summarize n = count() by ApiId, LastErrorReason";
    const result = await logs.queryWorkspace("5f2b8c1d-9e47-4a3b-b6d0-2c8e7f1a9d35", query, { startTime: new Date(NOW.getTime() - 15 * 60_000), endTime: NOW });
    expect(result.status).toBe(LogsQueryResultStatus.Success);
    const rows = result.status === LogsQueryResultStatus.Success ? (result.tables[0]?.rows ?? []) : [];
    const count = (api: string, reason: string) => Number(rows.find((r) => r[0] === api && r[1] === reason)?.[2] ?? 0);
    expect(count("payments-api", "TokenAudienceNotAllowed")).toBeGreaterThan(100);
    expect(count("customers-api", "TokenExpired")).toBeGreaterThan(0);
    expect(count("customers-api", "TokenAudienceNotAllowed")).toBe(0);
    expect(emu.stats()["logs.query"]).toBe(1);
  });
});
