import { describe, expect, it } from "vitest";
import { DETECTORS, detectAll } from "../../src/detect/catalog";
import { defaultDetectConfig } from "../../src/detect/config";
import type { Detector } from "../../src/detect/types";
import type { Detection } from "../../src/domain/finding";
import { FINDING_KINDS } from "../../src/domain/finding";
import type { EstateSnapshot } from "../../src/domain/snapshot";
import type { InstanceTelemetry } from "../../src/domain/telemetry";
import { activity, config, context, contract, estate, inDays, instance, lastMinutes, NOW, snapshot, telemetry } from "./fixtures";

const SECRET_TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6Im5ldy1rZXkifQ.eyJhdWQiOiJhcGk6Ly9vcmRlcnMifQ.QmFkU2lnbmF0dXJlVmFsdWU";

/** One estate with one planted problem of every kind the detectors emit. */
function plantedEstate(names: { api: string; contract: string } = { api: "Orders API", contract: "Contoso mobile" }): { estate: EstateSnapshot; telemetry: InstanceTelemetry[] } {
  const shop = instance("shop-apim-prod", {
    sku: { name: "StandardV2", capacity: 1 },
    provisioningState: "Updating",
    targetProvisioningState: "Succeeded",
    hostnameConfigurations: [{ type: "Proxy", hostName: "api.shop.example.com", certificateSource: "Custom", certificate: { expiry: inDays(9), thumbprint: "8A1F0C2B7D3E4F5A6B7C8D9E0F1A2B3C4D5E6F70", subject: "CN=api.shop.example.com" } }],
  });
  const orders = { id: `${shop.id}/apis/orders-api`, name: "orders-api", displayName: names.api, path: "orders", protocols: ["https"], subscriptionRequired: true, isCurrent: true, hasAuthenticationSettings: false };
  const nv = { id: `${shop.id}/namedValues/erp-key`, name: "erp-key", displayName: "erp-key", secret: true, tags: [], keyVault: { secretIdentifier: "https://kv-shop.vault.azure.net/secrets/erp-key", lastStatus: { code: "Forbidden", message: "Access denied to vault kv-shop" } } };
  const shopSnap = snapshot(shop, {
    activity: [activity("Started", 35)],
    config: config({ apis: [orders], namedValues: [nv] }),
    subscriptions: [contract(shop, "contoso-mobile", { displayName: names.contract, expirationDate: inDays(5) }), contract(shop, "acme-erp", { state: "suspended" })],
    failures: [{ instanceId: shop.id, instance: shop.name, part: "logs", status: 403, code: "Forbidden", message: "workspace query denied", retryable: false, at: NOW.toISOString() }],
  });
  const broken = instance("legacy-apim", { provisioningState: "Failed", sku: { name: "Developer", capacity: 1 } });
  const t = telemetry(shop, [
    { apiId: "orders-api", perMinute: 300, cell: { category: "5xx", code: "500", reason: "BackendConnectionFailure" }, failures: lastMinutes(15, 0.3, 300, 0.002) },
    { apiId: "catalog-api", perMinute: 200, cell: { category: "4xx", code: "401", reason: "TokenSignatureKeyNotFound" }, failures: lastMinutes(25, 0.45, 200) },
  ], {
    authLogs: {
      table: "ApiManagementGatewayLogs",
      workspaceId: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      groups: [{ apiId: "catalog-api", lastErrorReason: "TokenSignatureKeyNotFound", responseCode: 401, count: 2700, topCallerIps: [{ value: "52.174.9.10", count: 2700 }], topSubscriptions: [{ value: "acme-erp", count: 40 }], topProducts: [], sampleMessage: `IDX10503: Signature validation failed. token: ${SECRET_TOKEN}` }],
    },
  });
  return { estate: estate(shopSnap, snapshot(broken)), telemetry: [t] };
}

describe("the detector catalog", () => {
  it.each(DETECTORS.map((d) => [d.id, d] as const))("%s has an id, kinds, title, description and documented defaults", (_id, d) => {
    expect(d.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(d.kinds.length).toBeGreaterThan(0);
    for (const k of d.kinds) expect(FINDING_KINDS).toContain(k);
    expect(d.title.trim()).not.toBe("");
    expect(d.description.length).toBeGreaterThan(80);
    const defaults = d.defaults(defaultDetectConfig);
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    for (const v of Object.values(defaults)) expect(v === undefined || (typeof v === "number" && Number.isNaN(v))).toBe(false);
  });

  it("has unique ids and covers every kind but hygiene", () => {
    expect(new Set(DETECTORS.map((d) => d.id)).size).toBe(DETECTORS.length);
    const covered = new Set(DETECTORS.flatMap((d) => d.kinds));
    expect([...FINDING_KINDS].filter((k) => !covered.has(k))).toEqual(["hygiene"]);
  });
});

describe("detectAll", () => {
  const planted = plantedEstate();
  const result = detectAll(context(planted));

  it("finds exactly the planted problems", () => {
    expect(result.errors).toEqual([]);
    expect(result.detections.map((d) => `${d.kind} ${d.instance}${d.api ? ` ${d.api}` : ""}${d.cause ? ` ${d.cause}` : ""}`).sort()).toEqual([
      "auth-failure-burst shop-apim-prod catalog-api TokenSignatureKeyNotFound",
      "certificate-expiring shop-apim-prod",
      "collection-failed shop-apim-prod Forbidden",
      "gateway-5xx-spike shop-apim-prod orders-api BackendConnectionFailure",
      "keyvault-refresh-failed shop-apim-prod Forbidden",
      "provisioning-failed legacy-apim",
      "provisioning-stuck shop-apim-prod",
      "subscription-expiring shop-apim-prod",
      "subscription-suspended shop-apim-prod",
    ]);
  });

  it.each(result.detections.map((d) => [d.kind, d] as const))("%s reads well and carries what a card needs", (_kind, d: Detection) => {
    expect(d.title).not.toMatch(/\n/);
    expect(d.title.length).toBeLessThan(200);
    for (const text of [d.title, d.summary, ...d.remediation]) expect(text).not.toMatch(/undefined|NaN|\[object |\{\w+\}/);
    expect(d.remediation.length).toBeGreaterThanOrEqual(2);
    expect(d.portalUrl).toMatch(/^https:\/\/portal\.azure\.com\/#@\/resource\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+\/[a-z-]+$/);
    expect(d.resourceId.toLowerCase()).toContain(d.instanceId.toLowerCase());
    expect(d.subscriptionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.resourceGroup).not.toBe("");
    if (d.kind === "gateway-5xx-spike" || d.kind === "auth-failure-burst") {
      expect(d.api).toBeTruthy();
      expect(d.series?.length).toBe(60);
    }
  });

  it("never lets a token reach a finding", () => {
    expect(JSON.stringify(result.detections)).not.toContain(SECRET_TOKEN.slice(0, 30));
  });

  it("gives the same ids on every run, whatever the text says", () => {
    const again = detectAll(context(plantedEstate()));
    const renamed = detectAll(context({ ...plantedEstate({ api: "Orders API v2 (renamed)", contract: "Contoso mobile app, renamed" }), now: new Date(NOW.getTime() + 5 * 60_000) }));
    const ids = (r: typeof result) => r.detections.map((d) => d.id).sort();
    expect(ids(again)).toEqual(ids(result));
    expect(ids(renamed)).toEqual(ids(result));
    const titles = (r: typeof result) => r.detections.map((d) => d.title).sort();
    expect(titles(renamed)).not.toEqual(titles(result));
  });

  it("isolates a detector that throws and reports it", () => {
    const broken: Detector = { ...DETECTORS[0]!, id: "broken", detect: () => { throw new Error("cannot read properties of undefined"); } };
    const r = detectAll(context(planted), [broken, ...DETECTORS.slice(1)]);
    expect(r.errors).toEqual([{ detector: "broken", message: "cannot read properties of undefined" }]);
    expect(r.detections.length).toBe(result.detections.length - 2);
    expect(r.detections.some((d) => d.kind === "gateway-5xx-spike")).toBe(true);
  });
});
