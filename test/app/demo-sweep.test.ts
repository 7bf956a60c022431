import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app/create-app";
import type { Runtime } from "../../src/app/runtime";
import { demoRuntime, freshTablePrefix } from "../support/demo";
import type { Finding } from "../../src/domain/finding";


/** What scenarios/README.md says demo.json plants, as (kind, where, cause). */
const PLANTED = [
  { kind: "provisioning-stuck", instance: "apim-contoso-partners" },
  { kind: "subscription-expiring", instance: "apim-contoso-prod-weu", resource: "partner-checkout" },
  { kind: "subscription-suspended", instance: "apim-contoso-dev", resource: "sandbox-suspended" },
  { kind: "subscription-expired", instance: "apim-contoso-dev", resource: "sandbox-expired" },
  { kind: "certificate-expiring", instance: "apim-contoso-prod-weu" },
  { kind: "keyvault-refresh-failed", instance: "apim-contoso-prod-weu", resource: "orders-db-connection" },
  { kind: "gateway-5xx-spike", instance: "apim-contoso-prod-weu", api: "orders-api", cause: "BackendConnectionFailure" },
  { kind: "auth-failure-burst", instance: "apim-contoso-prod-weu", api: "payments-api", cause: "TokenAudienceNotAllowed" },
];

describe("a sweep of the demo estate", () => {
  let runtime: Runtime;
  let app: App;

  beforeAll(async () => {
    runtime = await demoRuntime();
    app = await createApp(runtime, { tablePrefix: freshTablePrefix() });
  });

  afterAll(async () => {
    await runtime?.close();
  });

  let first: Finding[];

  it("reports exactly the planted problems, each with a cause where one applies and at least two steps", async () => {
    const outcome = await app.sweep({ post: false });
    first = outcome.findings;
    const found = first.map((f) => ({ kind: f.kind, instance: f.instance, api: f.api, cause: f.cause, resourceId: f.resourceId }));
    expect(found).toHaveLength(PLANTED.length);
    for (const planted of PLANTED) {
      const match = found.filter(
        (f) =>
          f.kind === planted.kind &&
          f.instance === planted.instance &&
          (planted.api === undefined || f.api === planted.api) &&
          (planted.cause === undefined || f.cause === planted.cause) &&
          (planted.resource === undefined || f.resourceId.endsWith(`/${planted.resource}`)),
      );
      expect(match, `${planted.kind} on ${planted.instance}`).toHaveLength(1);
    }
    for (const f of first) {
      expect(f.remediation.length, f.title).toBeGreaterThanOrEqual(2);
      expect(f.change).toBe("new");
      expect(f.status).toBe("firing");
    }
    expect(outcome.instanceCount).toBe(3);
  });

  it("reports the same ids, all ongoing, when run again", async () => {
    const again = (await app.sweep({ post: false })).findings;
    expect(again.map((f) => f.id).sort()).toEqual(first.map((f) => f.id).sort());
    expect(new Set(again.map((f) => f.change))).toEqual(new Set(["ongoing"]));
  });

  it("stays near the call floor in steady state: slow-cadence parts are not read again", async () => {
    const outcome = await app.sweep({ post: false });
    const calls = Object.entries(outcome.stats).filter(([k]) => k !== "retries" && k !== "throttled").reduce((n, [, v]) => n + v, 0);
    expect(outcome.stats["arm.apim.subscriptions"] ?? 0).toBe(0);
    expect(outcome.stats.resourcegraph).toBe(1);
    expect(calls).toBeLessThanOrEqual(10);
  });

  it("resolves the spike and the auth burst once the emulator clock passes their incident windows", async () => {
    runtime.emulator?.clock.advance(90 * 60_000);
    const later = (await app.sweep({ post: false })).findings;
    const spike = later.find((f) => f.kind === "gateway-5xx-spike");
    const burst = later.find((f) => f.kind === "auth-failure-burst");
    expect(spike?.change).toBe("resolved");
    expect(spike?.status).toBe("resolved");
    expect(burst?.change).toBe("resolved");
    // The stuck instance is still stuck, now for over two hours.
    const stuck = later.find((f) => f.kind === "provisioning-stuck");
    expect(stuck?.status).toBe("firing");
    expect(stuck?.severity).toBe("critical");
  });
});
