import { describe, expect, it } from "vitest";
import { FINDING_KINDS } from "../../src/domain/finding";
import { fillStep, knownCauses, PLAYBOOK, playbookEntry, remediation } from "../../src/playbook/playbook";
import { portalUrl } from "../../src/playbook/portal-url";

const AUTH_CAUSES = [
  "TokenAudienceNotAllowed",
  "TokenExpired",
  "TokenSignatureKeyNotFound",
  "TokenSignatureInvalid",
  "TokenIssuerNotAllowed",
  "TokenClaimNotFound",
  "TokenNotPresent",
  "SubscriptionKeyNotFound",
  "SubscriptionKeyInvalid",
];
const SPIKE_CAUSES = ["BackendConnectionFailure", "Timeout", "ExpressionValueEvaluationFailure", "backend-5xx"];

describe("the remediation playbook", () => {
  it.each(FINDING_KINDS.filter((k) => k !== "hygiene").map((k) => [k]))("%s has steps", (kind) => {
    expect(playbookEntry(kind)?.steps.length ?? 0).toBeGreaterThanOrEqual(2);
  });

  it("knows every auth and 5xx cause the detectors classify", () => {
    expect(knownCauses("auth-failure-burst")).toEqual(expect.arrayContaining(AUTH_CAUSES));
    expect(knownCauses("gateway-5xx-spike")).toEqual(expect.arrayContaining(SPIKE_CAUSES));
    expect(knownCauses("provisioning-stuck")).toEqual(expect.arrayContaining(["support-case", "platform"]));
    expect(knownCauses("collection-failed")).toContain("forbidden");
  });

  it.each(Object.entries(PLAYBOOK))("%s has at least two ordered, filled-in steps", (key, entry) => {
    expect(entry.steps.length).toBeGreaterThanOrEqual(2);
    expect(entry.situation).not.toBe("");
    for (const step of entry.steps.map((s) => fillStep(s, {}))) {
      expect(step, key).not.toMatch(/\{\w+\}/);
      expect(step.trim().length).toBeGreaterThan(20);
    }
  });

  it("fills in the names of the resources at fault", () => {
    const steps = remediation("auth-failure-burst", "TokenAudienceNotAllowed", { api: "payments-api", instance: "pay-apim-prod" });
    expect(steps.join(" ")).toContain("validate-jwt policy on payments-api in pay-apim-prod");
    const kv = remediation("keyvault-refresh-failed", undefined, { instance: "shop-apim", namedValue: "erp-key", secretIdentifier: "https://kv-shop.vault.azure.net/secrets/erp-key", identity: "the system-assigned identity" });
    expect(kv[0]).toContain("the system-assigned identity of shop-apim");
    expect(kv[1]).toContain("https://kv-shop.vault.azure.net/secrets/erp-key");
    expect(kv[2]).toContain("erp-key");
  });

  it("reads naturally when a name is unknown", () => {
    expect(remediation("gateway-5xx-spike", "Timeout", {})[0]).toContain("the backend of the API");
  });

  it("falls back to the kind's general steps for a cause it does not know", () => {
    const steps = remediation("auth-failure-burst", "CallerIpNotAllowed", { api: "orders-api", instance: "shop-apim" });
    expect(steps).toEqual(remediation("auth-failure-burst", undefined, { api: "orders-api", instance: "shop-apim" }));
    expect(steps[0]).toContain("orders-api");
    expect(remediation("no-such-kind", undefined, {})).toEqual([]);
  });
});

describe("portalUrl", () => {
  it("deep-links an ARM resource to a blade", () => {
    const id = "/subscriptions/6f2b1c3e-8d4a-4b7e-9c1f-2a3b4c5d6e7f/resourceGroups/rg-pay/providers/Microsoft.ApiManagement/service/pay-apim";
    expect(portalUrl(id, "subscriptions")).toBe(`https://portal.azure.com/#@/resource${id}/apim-subscriptions`);
    expect(portalUrl(`${id}/`)).toBe(`https://portal.azure.com/#@/resource${id}/overview`);
  });
});
