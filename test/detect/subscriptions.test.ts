import { describe, expect, it } from "vitest";
import { detectConfig } from "../../src/detect/config";
import { reminderRung, subscriptionsDetector } from "../../src/detect/subscriptions";
import { fingerprint } from "../../src/domain/fingerprint";
import type { SubscriptionContract } from "../../src/domain/snapshot";
import { context, contract, estate, inDays, instance, snapshot, telemetry } from "./fixtures";

const partner = instance("partner-apim", { resourceGroup: "rg-partner" });

function detect(contracts: SubscriptionContract[], cfg = detectConfig()) {
  return subscriptionsDetector.detect(context({ estate: estate(snapshot(partner, { subscriptions: contracts, subscriptionsReadAt: "2026-03-10T11:00:00Z" })), config: cfg }));
}

describe("subscription-expiring", () => {
  it("says nothing about a contract expiring in 75 days, and warns about one expiring in 5", () => {
    const far = contract(partner, "fabrikam-orders", { expirationDate: inDays(75) });
    const soon = contract(partner, "contoso-mobile", { displayName: "Contoso mobile app", expirationDate: inDays(5.5) });
    const found = detect([far, soon]);
    expect(found).toHaveLength(1);
    const [d] = found;
    expect(d?.id).toBe(fingerprint("subscription-expiring", soon.id));
    expect(d?.resourceId).toBe(soon.id);
    expect(d?.severity).toBe("warning");
    expect(d?.memo).toEqual({ rung: 7 });
    expect(d?.title).toBe("Subscription Contoso mobile app (contoso-mobile) on partner-apim expires in 5 days (product starter, owner Dana Lee <dana.lee@contoso.com>)");
    expect(d?.summary).toContain("does not deactivate a contract on that date by itself");
    expect(d?.evidence).toMatchObject({ daysLeft: 5.5, rung: 7, owner: "Dana Lee <dana.lee@contoso.com>", scopeKind: "product", scopeName: "starter" });
    expect(d?.remediation[0]).toContain("Dana Lee");
    expect(d?.remediation[0]).toContain("2026-03-16");
    expect(d?.portalUrl).toBe(`https://portal.azure.com/#@/resource${partner.id}/apim-subscriptions`);
  });

  it("rises in severity as the contract crosses each rung, keeping its id", () => {
    const at = (days: number) => detect([contract(partner, "contoso-mobile", { expirationDate: inDays(days) })])[0];
    expect([at(25)?.severity, at(10)?.severity, at(3)?.severity, at(0.4)?.severity]).toEqual(["info", "info", "warning", "critical"]);
    expect([at(25)?.memo, at(10)?.memo, at(3)?.memo, at(0.4)?.memo]).toEqual([{ rung: 30 }, { rung: 14 }, { rung: 7 }, { rung: 1 }]);
    expect(new Set([at(25)?.id, at(3)?.id]).size).toBe(1);
    expect(at(0.4)?.title).toContain("expires in under a day");
    // 7.5 days reads as "7 days" and is already on the 7-day rung.
    expect([at(7.5)?.title.includes("expires in 7 days"), at(7.5)?.severity]).toEqual([true, "warning"]);
  });

  it("follows a configured ladder", () => {
    const cfg = detectConfig({ subscriptions: { reminderDays: [60, 10] } });
    const [d] = detect([contract(partner, "contoso-mobile", { expirationDate: inDays(45) })], cfg);
    expect(d?.memo).toEqual({ rung: 60 });
    expect(reminderRung(45, [30, 14, 7, 1])).toBeUndefined();
  });

  it("flags an active contract past its date without calling it expired", () => {
    const [d] = detect([contract(partner, "legacy-batch", { expirationDate: inDays(-3), scope: "/apis", scopeKind: "all-apis", scopeName: undefined })]);
    expect(d?.kind).toBe("subscription-expiring");
    expect(d?.title).toContain("past its expiration date");
    expect(d?.title).toContain("still active");
    expect(d?.memo).toEqual({ rung: 0 });
  });

  it("does not alert on cancelled, rejected or submitted contracts, or on active ones without a date", () => {
    const quiet = ["cancelled", "rejected", "submitted"].map((state, i) => contract(partner, `c${i}`, { state, expirationDate: inDays(2) }));
    expect(detect([...quiet, contract(partner, "open-ended")])).toEqual([]);
  });
});

describe("subscription-expired and subscription-suspended", () => {
  it("reports a recently expired contract and forgets old ones", () => {
    const recent = contract(partner, "fabrikam-trial", { state: "expired", expirationDate: inDays(-4) });
    const old = contract(partner, "pilot-2024", { state: "expired", expirationDate: inDays(-400) });
    const found = detect([recent, old]);
    expect(found.map((d) => [d.kind, d.resourceId, d.severity])).toEqual([["subscription-expired", recent.id, "info"]]);
    expect(found[0]?.summary).toContain("rejected with 401");
  });

  it("reports a suspended contract, and raises it when its callers are still being rejected", () => {
    const suspended = contract(partner, "acme-erp", { state: "suspended" });
    const [quiet] = detect([suspended]);
    expect(quiet?.kind).toBe("subscription-suspended");
    expect(quiet?.severity).toBe("info");
    const t = telemetry(partner, [], {
      authLogs: {
        table: "ApiManagementGatewayLogs",
        workspaceId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        groups: [{ apiId: "orders-api", lastErrorReason: "SubscriptionKeyInvalid", responseCode: 401, count: 120, topCallerIps: [], topSubscriptions: [{ value: "acme-erp", count: 118 }], topProducts: [] }],
      },
    });
    const [loud] = subscriptionsDetector.detect(context({ estate: estate(snapshot(partner, { subscriptions: [suspended] })), telemetry: [t] }));
    expect(loud?.severity).toBe("warning");
    expect(loud?.title).toContain("still called 118 times");
    expect(loud?.id).toBe(quiet?.id);
  });

  it("emits nothing for an instance whose contracts were not read this sweep", () => {
    expect(subscriptionsDetector.detect(context({ estate: estate(snapshot(partner)) }))).toEqual([]);
  });
});
