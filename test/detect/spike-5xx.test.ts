import { describe, expect, it } from "vitest";
import { spike5xxDetector } from "../../src/detect/spike-5xx";
import { fingerprint } from "../../src/domain/fingerprint";
import { config, context, estate, instance, lastMinutes, prior, snapshot, steady, telemetry } from "./fixtures";

const pay = instance("pay-apim-prod", { resourceGroup: "rg-payments-prod" });
const payments = {
  id: `${pay.id}/apis/payments-api`,
  name: "payments-api",
  displayName: "Payments API",
  path: "payments",
  protocols: ["https"],
  subscriptionRequired: true,
  isCurrent: true,
  hasAuthenticationSettings: false,
};
const paySnap = snapshot(pay, { config: config({ apis: [payments] }) });
const spikeId = fingerprint("gateway-5xx-spike", payments.id);

const backend502 = { category: "5xx", code: "502", backendCode: "502" } as const;
const connectionFailure = { category: "5xx", code: "500", reason: "BackendConnectionFailure" } as const;

function run(failures: (m: number) => number, cell: typeof backend502 | typeof connectionFailure = backend502, perMinute = 240, priorState = prior()) {
  const t = telemetry(pay, [{ apiId: "payments-api", perMinute, cell, failures }]);
  return spike5xxDetector.detect(context({ estate: estate(paySnap), telemetry: [t], prior: priorState }));
}

describe("gateway-5xx-spike", () => {
  it("fires on a sudden 35% 5xx rate against a 0.5% baseline, with words and numbers in the title", () => {
    const [d, ...rest] = run(lastMinutes(15, 0.35, 240, 0.005));
    expect(rest).toEqual([]);
    expect(d?.kind).toBe("gateway-5xx-spike");
    expect(d?.id).toBe(spikeId);
    expect(d?.resourceId).toBe(payments.id);
    expect(d?.api).toBe("payments-api");
    expect(d?.instance).toBe("pay-apim-prod");
    expect(d?.resourceGroup).toBe("rg-payments-prod");
    expect(d?.severity).toBe("critical");
    expect(d?.title).toBe("5xx spike on payments-api (pay-apim-prod): 35% of 3,600 requests, baseline 0.4%");
    expect(d?.summary).toContain("requests to Payments API (payments-api) on pay-apim-prod");
    expect(d?.evidence.requests).toBe(3600);
    expect(d?.series).toHaveLength(60);
    expect(d?.series?.at(-1)?.value).toBe(35);
    expect(d?.series?.[0]?.value).toBe(0.4);
    expect(d?.portalUrl).toBe(`https://portal.azure.com/#@/resource${pay.id}/apim-apis`);
    expect(d?.memo).toEqual({ baselineRate: expect.closeTo(1 / 240, 5) });
  });

  it("tells a backend 5xx (cause backend-5xx) from a gateway BackendConnectionFailure", () => {
    const [backend] = run(lastMinutes(15, 0.2, 240), backend502);
    const [gateway] = run(lastMinutes(15, 0.2, 240), connectionFailure);
    expect(backend?.cause).toBe("backend-5xx");
    expect(backend?.summary).toContain("returned by the backend itself (502 ×");
    expect(backend?.evidence.topBackendCodes).toEqual([{ value: "502", count: 720 }]);
    expect(backend?.remediation[0]).toContain("Payments API");
    expect(backend?.remediation[0]).toContain("502");
    expect(gateway?.cause).toBe("BackendConnectionFailure");
    expect(gateway?.summary).toContain("could not connect to the backend");
    expect(gateway?.remediation.join(" ")).toMatch(/TLS certificate/);
    expect(gateway?.remediation.length).toBeGreaterThanOrEqual(2);
    // Same API, same problem identity: the cause is not part of a spike's id.
    expect(gateway?.id).toBe(backend?.id);
  });

  it("does not page for three failures out of four calls on a quiet API", () => {
    const t = telemetry(pay, [{ apiId: "payments-api", perMinute: 0, cell: backend502, failures: () => 0 }]);
    t.requests.push(
      { time: "2026-03-10T11:58:00.000Z", apiId: "payments-api", gatewayResponseCodeCategory: "5xx", gatewayResponseCode: "502", backendResponseCode: "502", lastErrorReason: "", count: 3 },
      { time: "2026-03-10T11:58:00.000Z", apiId: "payments-api", gatewayResponseCodeCategory: "2xx", gatewayResponseCode: "200", backendResponseCode: "200", lastErrorReason: "", count: 1 },
    );
    expect(spike5xxDetector.detect(context({ estate: estate(paySnap), telemetry: [t] }))).toEqual([]);
  });

  it("does not fire for one failure on a low-volume API", () => {
    expect(run((m) => (m === 3 ? 1 : 0), backend502, 3)).toEqual([]);
  });

  it("does not fire for a chronic 8% rate that is the API's normal", () => {
    expect(run(steady(0.08, 240))).toEqual([]);
  });

  it("reports an outage older than the whole window on apimbot's first sweep", () => {
    const [d] = run(steady(0.9, 240), connectionFailure);
    expect(d?.severity).toBe("critical");
    expect(d?.evidence.verdict).toBe("so high that the baseline does not matter");
  });

  it("keeps a firing spike open between the resolve and fire thresholds, but does not open a new one there", () => {
    const between = lastMinutes(15, 0.035, 400, 0.004);
    expect(run(between, backend502, 400)).toEqual([]);
    const open = prior([{ id: spikeId, kind: "gateway-5xx-spike", severity: "critical", status: "firing", firstSeen: "2026-03-10T11:20:00Z", lastSeen: "2026-03-10T11:55:00Z", memo: { baselineRate: 0.004 } }]);
    const [still] = run(between, backend502, 400, open);
    expect(still?.id).toBe(spikeId);
    expect(still?.severity).toBe("warning");
    expect(still?.evidence.baselineRate).toBe(0.004);
  });

  it("resolves (emits nothing) once an open spike falls below the resolve threshold", () => {
    const open = prior([{ id: spikeId, kind: "gateway-5xx-spike", severity: "critical", status: "acknowledged", firstSeen: "2026-03-10T11:20:00Z", lastSeen: "2026-03-10T11:55:00Z", memo: { baselineRate: 0.004 } }]);
    expect(run(lastMinutes(15, 0.01, 400, 0.3), backend502, 400, open)).toEqual([]);
  });

  it("treats a resolved prior finding as not open", () => {
    const old = prior([{ id: spikeId, kind: "gateway-5xx-spike", severity: "critical", status: "resolved", firstSeen: "2026-03-09T11:20:00Z", lastSeen: "2026-03-09T11:55:00Z" }]);
    expect(run(lastMinutes(15, 0.035, 400, 0.004), backend502, 400, old)).toEqual([]);
  });

  it("builds the API id from the instance when the configuration was not read", () => {
    const t = telemetry(pay, [{ apiId: "orders-api", perMinute: 200, cell: connectionFailure, failures: lastMinutes(15, 0.5, 200) }]);
    const [d] = spike5xxDetector.detect(context({ estate: estate(snapshot(pay)), telemetry: [t] }));
    expect(d?.resourceId).toBe(`${pay.id}/apis/orders-api`);
    expect(d?.id).toBe(fingerprint("gateway-5xx-spike", `${pay.id}/apis/orders-api`));
    expect(d?.title).toContain("orders-api (pay-apim-prod)");
  });
});
