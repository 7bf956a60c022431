import { describe, expect, it } from "vitest";
import { authBurstDetector, burstShape } from "../../src/detect/auth-burst";
import { fingerprint } from "../../src/domain/fingerprint";
import type { InstanceTelemetry } from "../../src/domain/telemetry";
import { context, estate, instance, lastMinutes, snapshot, steady, telemetry } from "./fixtures";

const hr = instance("hr-apim-prod", { sku: { name: "StandardV2", capacity: 1 } });
const snap = snapshot(hr);
const apiId = `${hr.id}/apis/people-api`;

const cell = (reason: string, code = "401") => ({ category: "4xx" as const, code, reason });

function run(failures: (m: number) => number, reason = "TokenAudienceNotAllowed", authLogs?: InstanceTelemetry["authLogs"], perMinute = 200) {
  const t = telemetry(hr, [{ apiId: "people-api", perMinute, cell: cell(reason), failures }], { authLogs });
  return authBurstDetector.detect(context({ estate: estate(snap), telemetry: [t] }));
}

describe("auth-failure-burst", () => {
  it("stays quiet for a chronic steady 3% 401 rate", () => {
    expect(run(steady(0.03, 200), "TokenExpired")).toEqual([]);
  });

  it("fires critical for a sudden 40% burst, with the cause as part of the id", () => {
    const [d, ...rest] = run(lastMinutes(12, 0.4, 200, 0.03), "TokenAudienceNotAllowed");
    expect(rest).toEqual([]);
    expect(d?.kind).toBe("auth-failure-burst");
    expect(d?.cause).toBe("TokenAudienceNotAllowed");
    expect(d?.id).toBe(fingerprint("auth-failure-burst", apiId, "TokenAudienceNotAllowed"));
    expect(d?.id).not.toBe(fingerprint("auth-failure-burst", apiId, "TokenExpired"));
    expect(d?.severity).toBe("critical");
    expect(d?.title).toBe("TokenAudienceNotAllowed burst on people-api (hr-apim-prod): 33% of 3,000 requests rejected, baseline 3%");
    expect(d?.summary).toContain("this is a burst, not a steady level");
    expect(d?.remediation.join(" ")).toContain("`aud` claim");
    expect(d?.evidence.burstStart).toBe("2026-03-10T11:48:00.000Z");
  });

  it("stays quiet for a chronic 12% rate even though it is above the floor", () => {
    expect(run(steady(0.12, 200), "TokenClaimNotFound")).toEqual([]);
  });

  it("does not let a burst that began before the recent window hide behind its own first minutes", () => {
    const [d] = run(lastMinutes(25, 0.3, 200, 0.01), "TokenIssuerNotAllowed");
    expect(d?.evidence.baselineRate).toBeCloseTo(0.01, 3);
    expect(d?.evidence.burstStart).toBe("2026-03-10T11:35:00.000Z");
    expect(d?.title).toContain("baseline 1%");
  });

  it("needs a minimum volume: a handful of 401s on a quiet API is not a burst", () => {
    expect(run((m) => (m < 3 ? 2 : 0), "TokenExpired", undefined, 4)).toEqual([]);
  });

  it("ignores 401s returned by the backend itself", () => {
    const t = telemetry(hr, [{ apiId: "people-api", perMinute: 200, cell: { category: "4xx", code: "401", backendCode: "401" }, failures: lastMinutes(10, 0.5, 200) }]);
    expect(authBurstDetector.detect(context({ estate: estate(snap), telemetry: [t] }))).toEqual([]);
  });

  it("says there is less to go on when no workspace was queried", () => {
    const [d] = run(lastMinutes(15, 0.3, 200), "SubscriptionKeyInvalid");
    expect(d?.summary).toContain("less to go on");
    expect(d?.evidence.logs).toBeNull();
  });

  it("adds callers, subscriptions, products and a redacted sample message from gateway logs", () => {
    const logs: InstanceTelemetry["authLogs"] = {
      table: "ApiManagementGatewayLogs",
      workspaceId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      groups: [
        {
          apiId: "people-api",
          lastErrorReason: "TokenAudienceNotAllowed",
          responseCode: 401,
          count: 812,
          topCallerIps: [{ value: "20.61.14.7", count: 790 }],
          topSubscriptions: [{ value: "hr-portal-prod", count: 800 }],
          topProducts: [{ value: "hr-internal", count: 812 }],
          sampleMessage: "IDX10214: Audience validation failed. Audiences: 'api://people-old'. Did not match: validationParameters. token eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcGk6Ly9wZW9wbGUifQ.c2lnbmF0dXJl",
        },
        { apiId: "other-api", lastErrorReason: "TokenAudienceNotAllowed", responseCode: 401, count: 5, topCallerIps: [], topSubscriptions: [], topProducts: [] },
      ],
    };
    const [d] = run(lastMinutes(15, 0.3, 200), "TokenAudienceNotAllowed", logs);
    const ev = d?.evidence.logs as { matched: number; topSubscriptions: unknown; topCallerIps: unknown; sampleMessage: string };
    expect(ev.matched).toBe(812);
    expect(ev.topSubscriptions).toEqual([{ value: "hr-portal-prod", count: 800 }]);
    expect(ev.topCallerIps).toEqual([{ value: "20.61.14.7", count: 790 }]);
    expect(ev.sampleMessage).toContain("Audience validation failed");
    expect(ev.sampleMessage).not.toContain("eyJ");
    expect(d?.summary).toContain("Most came from subscription hr-portal-prod");
    expect(d?.summary).not.toContain("less to go on");
  });

  describe("signing-key rollover", () => {
    it("treats a young TokenSignatureKeyNotFound burst that is already falling as a likely rollover (info)", () => {
      // Started 6 minutes ago at 60%, down to 5% in the newest minute.
      const blip = (m: number) => (m >= 6 ? 0 : m === 0 ? 10 : 120);
      const [d] = run(blip, "TokenSignatureKeyNotFound");
      expect(d?.severity).toBe("info");
      expect(d?.evidence.rollover).toBe("settling");
      expect(d?.summary).toMatch(/likely a signing-key rollover.*Wait 10 minutes/);
    });

    it("raises a TokenSignatureKeyNotFound burst that persists past the grace to critical", () => {
      const [d] = run(lastMinutes(40, 0.6, 200), "TokenSignatureKeyNotFound");
      expect(d?.severity).toBe("critical");
      expect(d?.evidence.rollover).toBe("persisting");
      expect(d?.summary).toContain("longer than a key rollover takes to settle");
      expect(d?.remediation.join(" ")).toContain("openid-config");
    });

    it("finds the start of the elevated run around the recent peak", () => {
      const grains = [0, 0, 0.5, 0.6, 0.2].map((rate, i) => ({ time: `2026-03-10T11:5${i}:00.000Z`, total: 100, failures: rate * 100, rate }));
      const shape = burstShape(grains, "2026-03-10T11:50:00.000Z", 0.05, 0.5);
      expect(shape.onset).toBe("2026-03-10T11:52:00.000Z");
      expect(shape.peakRate).toBe(0.6);
      expect(shape.falling).toBe(true);
    });
  });
});
