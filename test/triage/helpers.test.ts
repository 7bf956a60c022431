import { describe, expect, it } from "vitest";
import type { InstanceMemory } from "../../src/domain/prior";
import type { EstateSnapshot, InstanceSnapshot } from "../../src/domain/snapshot";
import { formatDuration, parseDuration, resolveIdPrefix, updateInstanceMemory } from "../../src/triage";
import { ORDERS_ID, PAY_ID, SUB } from "./fixtures";

describe("parseDuration", () => {
  it("reads the durations people type", () => {
    expect(parseDuration("30m")).toBe(30 * 60_000);
    expect(parseDuration("4h")).toBe(4 * 3_600_000);
    expect(parseDuration(" 1D ")).toBe(86_400_000);
    expect(parseDuration("1h30m")).toBe(90 * 60_000);
  });

  it("refuses what it cannot read without guessing", () => {
    for (const text of ["", "0m", "soon", "4", "-1h", "1.5h", "30m4h", "2w", "1h 30m"]) expect(parseDuration(text), text).toBeUndefined();
  });

  it("formats durations back for messages", () => {
    expect(formatDuration(90 * 60_000)).toBe("1h 30m");
    expect(formatDuration(86_400_000 + 60_000)).toBe("1d 1m");
  });
});

describe("resolveIdPrefix", () => {
  const ids = ["9f3c2a1b7e6d5c40", "9f3c2a88aa00bb11", "04d1e2f3a4b5c6d7"];

  it("finds the one alert a unique prefix names, in any case", () => {
    expect(resolveIdPrefix("04D1E2", ids)).toEqual({ id: "04d1e2f3a4b5c6d7" });
    expect(resolveIdPrefix("9f3c2a1", ids)).toEqual({ id: "9f3c2a1b7e6d5c40" });
  });

  it("names the candidates when a prefix is ambiguous", () => {
    const out = resolveIdPrefix("9f3c2a", ids);
    expect(out).toEqual({ error: expect.stringContaining("matches 2 alerts") });
    expect("error" in out && out.error).toContain("9f3c2a1b7e6d5c40");
    expect("error" in out && out.error).toContain("9f3c2a88aa00bb11");
  });

  it("refuses prefixes shorter than 6 characters and ones that match nothing", () => {
    expect(resolveIdPrefix("9f3c", ids)).toEqual({ error: expect.stringContaining("at least 6") });
    expect(resolveIdPrefix("ffffff", ids)).toEqual({ error: expect.stringContaining("No open alert") });
  });
});

function snap(id: string, name: string, state: string, extra: Partial<InstanceSnapshot> = {}): InstanceSnapshot {
  return {
    instance: {
      id, name, subscriptionId: SUB, resourceGroup: "rg", location: "West Europe", sku: { name: "Premium", capacity: 1 },
      provisioningState: state, targetProvisioningState: "", customProperties: {}, hostnameConfigurations: [], identityType: "None", zones: [], additionalLocations: [], tags: {},
    },
    readAt: "2026-03-10T09:00:00.000Z",
    failures: [],
    ...extra,
  };
}

describe("updateInstanceMemory", () => {
  it("notes when the provisioning state changed, when reads worked and when they failed", () => {
    const t0 = new Date("2026-03-10T09:00:00Z");
    const estate0: EstateSnapshot = {
      collectedAt: t0.toISOString(),
      instances: [snap(PAY_ID, "pay-apim-prod", "Succeeded", { subscriptions: [], subscriptionsReadAt: t0.toISOString() }), snap(ORDERS_ID, "orders-apim-prod", "Updating")],
      failures: [],
    };
    const m0 = updateInstanceMemory(new Map(), estate0, t0);
    expect(m0.find((m) => m.instanceId === PAY_ID)).toMatchObject({ provisioningState: "Succeeded", stateSince: t0.toISOString(), lastReadOk: t0.toISOString(), contractsReadAt: t0.toISOString() });

    const t1 = new Date("2026-03-10T09:05:00Z");
    const forbidden = { instanceId: ORDERS_ID, instance: "orders-apim-prod", part: "instance", status: 403, code: "Forbidden", message: "The client does not have authorization", retryable: false, at: t1.toISOString() };
    const estate1: EstateSnapshot = { collectedAt: t1.toISOString(), instances: [snap(PAY_ID, "pay-apim-prod", "Updating")], failures: [forbidden] };
    const prior = new Map<string, InstanceMemory>(m0.map((m) => [m.instanceId, m]));
    const m1 = updateInstanceMemory(prior, estate1, t1);
    const pay = m1.find((m) => m.instanceId === PAY_ID);
    expect(pay).toMatchObject({ provisioningState: "Updating", stateSince: t1.toISOString(), lastReadOk: t1.toISOString(), contractsReadAt: t0.toISOString() });
    const orders = m1.find((m) => m.instanceId === ORDERS_ID);
    // Still Updating since 09:00 as far as anyone knows; last good read stays at 09:00.
    expect(orders).toMatchObject({ provisioningState: "Updating", stateSince: t0.toISOString(), lastReadOk: t0.toISOString(), lastFailureAt: t1.toISOString(), lastFailureStatus: 403 });

    const t2 = new Date("2026-03-10T09:10:00Z");
    const m2 = updateInstanceMemory(new Map(m1.map((m) => [m.instanceId, m])), { collectedAt: t2.toISOString(), instances: [snap(ORDERS_ID, "orders-apim-prod", "Updating")], failures: [] }, t2);
    expect(m2.find((m) => m.instanceId === ORDERS_ID)).toMatchObject({ stateSince: t0.toISOString(), lastReadOk: t2.toISOString(), lastFailureStatus: 403 });
    expect(m2.find((m) => m.instanceId === PAY_ID)).toEqual(pay);
  });
});
