import { describe, expect, it } from "vitest";
import { checkEstate, checkInstance, RULES } from "../../src/hygiene/catalog";
import type { HygieneRule } from "../../src/hygiene/rule";
import { redactUrl } from "../../src/hygiene/rule";
import type { Detection } from "../../src/domain/finding";
import { fingerprint } from "../../src/domain/fingerprint";
import { ESTATE, NOW, PLANTED_SECRETS } from "./fixture";

const detections = checkEstate(ESTATE, NOW);

/** `instance:scope`, as each rule's expectation names resources. */
function label(d: Detection): string {
  return `${d.instance}:${String(d.evidence.scope)}`;
}

function failing(rule: string): string[] {
  return detections.filter((d) => d.rule === rule).map(label).sort();
}

/**
 * For each rule: exactly the fixture resources that fail, and some that must pass (resources of the
 * same kind, so each rule is shown a passing example as well as a failing one).
 */
const EXPECT: Record<string, { fail: string[]; pass: string[] }> = {
  "APIM.Policy.Unparseable": { fail: ["apim-contoso:API inventory policy"], pass: ["apim-contoso:API orders policy", "apim-contoso:global policy", "apim-contoso:API legacy-billing policy"] },
  "APIM.Policy.MissingBase": {
    fail: ["apim-contoso:operation orders/get-order policy", "apim-contoso:product partners policy"],
    pass: ["apim-contoso:global policy", "apim-contoso:product starter policy", "apim-contoso:API orders policy"],
  },
  "APIM.Policy.RateLimitOutsideInbound": { fail: ["apim-contoso:API legacy-billing policy", "apim-contoso:product partners policy"], pass: ["apim-contoso:product starter policy", "apim-contoso:API orders policy"] },
  "APIM.Policy.JwtNoClockSkew": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy", "apim-contoso:operation webhooks/push policy"] },
  "APIM.Policy.JwtOpenIdHttp": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy"] },
  "APIM.Policy.JwtNoAudience": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy", "apim-contoso:operation webhooks/push policy"] },
  "APIM.Policy.LiteralSecret": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy", "apim-contoso:product starter policy"] },
  "APIM.Policy.HttpBackendService": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy"] },
  "APIM.Policy.CorsWildcard": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:global policy"] },
  "APIM.Policy.SensitiveLogging": { fail: ["apim-contoso:API legacy-billing policy"], pass: ["apim-contoso:API orders policy"] },
  "APIM.Api.HttpProtocol": { fail: ["apim-contoso:API legacy-billing"], pass: ["apim-contoso:API orders"] },
  "APIM.Api.InsecureServiceUrl": { fail: ["apim-contoso:API inventory", "apim-contoso:API legacy-billing", "apim-contoso:API public-status"], pass: ["apim-contoso:API orders", "apim-contoso:API webhooks"] },
  "APIM.Api.NoDescription": { fail: ["apim-contoso:API legacy-billing"], pass: ["apim-contoso:API orders"] },
  "APIM.Api.Open": { fail: ["apim-contoso:API public-status"], pass: ["apim-contoso:API legacy-billing", "apim-contoso:API webhooks", "apim-contoso:API orders"] },
  "APIM.Api.VersionsWithoutSet": { fail: ["apim-contoso:API catalog", "apim-contoso:API catalog-v2"], pass: ["apim-contoso:API orders", "apim-contoso:API orders-v2"] },
  "APIM.Product.NoSubscription": { fail: ["apim-contoso:product open-data"], pass: ["apim-contoso:product partners", "apim-contoso:product starter"] },
  "APIM.Product.NoApproval": { fail: ["apim-contoso:product starter"], pass: ["apim-contoso:product partners", "apim-contoso:product open-data"] },
  "APIM.Product.SampleProduct": { fail: ["apim-contoso:product starter"], pass: ["apim-contoso:product partners"] },
  "APIM.Product.NoTerms": { fail: ["apim-contoso:product starter"], pass: ["apim-contoso:product partners"] },
  "APIM.Subscription.Expiring": {
    fail: ["apim-contoso:subscription sub-expiring", "apim-contoso:subscription sub-expiring-soon"],
    pass: ["apim-contoso:subscription sub-long-lived", "apim-contoso:subscription sub-already-expired"],
  },
  "APIM.Subscription.Suspended": { fail: ["apim-contoso:subscription sub-suspended"], pass: ["apim-contoso:subscription sub-expiring"] },
  "APIM.Subscription.AllApis": { fail: ["apim-contoso:subscription sub-all-apis"], pass: ["apim-contoso:subscription Built-in all-access subscription", "apim-contoso:subscription sub-long-lived"] },
  "APIM.Backend.TlsValidationOff": { fail: ["apim-contoso:backend test-no-validate"], pass: ["apim-contoso:backend payments-secure"] },
  "APIM.Backend.HttpUrl": { fail: ["apim-contoso:backend legacy-http"], pass: ["apim-contoso:backend payments-secure"] },
  "APIM.NamedValue.SecretNotMarked": { fail: ["apim-contoso:named value partner-api-token", "apim-contoso:named value storage-conn"], pass: ["apim-contoso:named value region-name", "apim-contoso:named value support-url"] },
  "APIM.NamedValue.SecretNotInKeyVault": { fail: ["apim-contoso:named value starter-backend-password"], pass: ["apim-contoso:named value orders-function-key"] },
  "APIM.NamedValue.KeyVaultRefreshFailing": { fail: ["apim-contoso:named value kv-rotated-secret"], pass: ["apim-contoso:named value orders-function-key", "apim-zoned:named value kv-ok"] },
  "APIM.Diagnostic.NoTelemetry": { fail: ["apim-legacy:instance apim-legacy"], pass: ["apim-contoso:instance apim-contoso", "apim-zoned:instance apim-zoned"] },
  "APIM.Diagnostic.Sampling": {
    fail: ["apim-contoso:diagnostic applicationinsights (API legacy-billing)", "apim-contoso:diagnostic applicationinsights (all APIs)"],
    pass: ["apim-zoned:diagnostic applicationinsights (all APIs)"],
  },
  "APIM.Diagnostic.AlwaysLogErrors": { fail: ["apim-contoso:diagnostic applicationinsights (API legacy-billing)"], pass: ["apim-contoso:diagnostic applicationinsights (all APIs)"] },
  "APIM.Diagnostic.SensitiveCapture": { fail: ["apim-contoso:diagnostic applicationinsights (API legacy-billing)"], pass: ["apim-contoso:diagnostic applicationinsights"] },
  "APIM.Instance.Stv1": { fail: ["apim-legacy:instance apim-legacy"], pass: ["apim-contoso:instance apim-contoso", "apim-serverless:instance apim-serverless"] },
  "APIM.Instance.WeakProtocols": { fail: ["apim-edge:instance apim-edge", "apim-legacy:instance apim-legacy"], pass: ["apim-contoso:instance apim-contoso", "apim-serverless:instance apim-serverless"] },
  "APIM.Instance.WeakCiphers": { fail: ["apim-edge:instance apim-edge", "apim-legacy:instance apim-legacy"], pass: ["apim-contoso:instance apim-contoso", "apim-zoned:instance apim-zoned"] },
  "APIM.Instance.CertificateExpiring": { fail: ["apim-contoso:instance apim-contoso"], pass: ["apim-edge:instance apim-edge", "apim-zoned:instance apim-zoned"] },
  "APIM.Instance.PortalNotPublished": { fail: ["apim-legacy:instance apim-legacy"], pass: ["apim-contoso:instance apim-contoso", "apim-serverless:instance apim-serverless"] },
  "APIM.Instance.NetworkDependencyFailing": { fail: ["apim-edge:instance apim-edge"], pass: ["apim-zoned:instance apim-zoned"] },
  "APIM.Instance.NoIdentityForKeyVault": { fail: ["apim-edge:instance apim-edge"], pass: ["apim-contoso:instance apim-contoso", "apim-zoned:instance apim-zoned"] },
  "APIM.Instance.PremiumNoRedundancy": { fail: ["apim-edge:instance apim-edge"], pass: ["apim-zoned:instance apim-zoned", "apim-contoso:instance apim-contoso"] },
  "APIM.Instance.SelfHostedGatewayToken": { fail: ["apim-legacy:gateway onprem-gw"], pass: ["apim-contoso:instance apim-contoso"] },
};

describe("each rule on the shared fixture", () => {
  it("has an expectation for every catalog rule", () => {
    expect(Object.keys(EXPECT).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it.each(RULES.map((r) => [r.id, r] as [string, HygieneRule]))("%s fails exactly the planted resources and passes the good ones", (id) => {
    const expected = EXPECT[id];
    expect(expected, `no expectation for ${id}`).toBeDefined();
    const got = failing(id);
    expect(got).toEqual([...(expected?.fail ?? [])].sort());
    expect(expected?.fail.length).toBeGreaterThan(0);
    expect(expected?.pass.length).toBeGreaterThan(0);
    for (const ok of expected?.pass ?? []) expect(got).not.toContain(ok);
  });
});

describe("policy findings carry scope, resource and line", () => {
  it("names the lines of every literal secret in one finding with one id", () => {
    const d = detections.find((x) => x.rule === "APIM.Policy.LiteralSecret");
    expect(d?.resourceId).toMatch(/\/apis\/legacy-billing\/policies\/policy$/);
    expect(d?.evidence.lines).toEqual([6, 11, 14, 17]);
    expect(d?.summary).toMatch(/literal key/);
    expect(d?.api).toBe("legacy-billing");
    expect(d?.id).toBe(fingerprint("hygiene", d?.resourceId ?? "", "APIM.Policy.LiteralSecret"));
  });

  it("reports the section that lacks <base /> and its line", () => {
    const d = detections.find((x) => x.rule === "APIM.Policy.MissingBase" && x.resourceId.includes("get-order"));
    expect(d?.summary).toContain("<outbound>");
    expect(d?.evidence.line).toBe(7);
    expect(d?.title).toContain("operation orders/get-order policy");
  });

  it("gives a malformed policy one finding with its parse error and still checks the other documents", () => {
    const broken = detections.filter((x) => x.resourceId.includes("/apis/inventory/policies/"));
    expect(broken.map((x) => x.rule)).toEqual(["APIM.Policy.Unparseable"]);
    expect(broken[0]?.summary).toMatch(/API inventory policy does not parse: unexpected close tag.*line 5/);
    expect(detections.filter((x) => x.rule?.startsWith("APIM.Policy.") && x.rule !== "APIM.Policy.Unparseable").length).toBeGreaterThan(5);
  });

  it("raises an expiring subscription to critical inside a week", () => {
    const soon = detections.find((x) => x.rule === "APIM.Subscription.Expiring" && x.resourceId.endsWith("sub-expiring-soon"));
    const later = detections.find((x) => x.rule === "APIM.Subscription.Expiring" && x.resourceId.endsWith("/sub-expiring"));
    expect(soon?.severity).toBe("critical");
    expect(later?.severity).toBe("warning");
    expect(later?.summary).toContain("12 day(s)");
  });
});

describe("rules run safely", () => {
  it("never puts a planted secret in a finding", () => {
    const text = JSON.stringify(detections);
    for (const secret of PLANTED_SECRETS) expect(text).not.toContain(secret);
  });

  it("keeps going when a rule throws, and says which rule failed", () => {
    const broken: HygieneRule = { ...(RULES[0] as HygieneRule), id: "APIM.Policy.Broken", check: () => { throw new Error("bad data"); } };
    const inst = ESTATE.instances[0];
    if (inst === undefined) throw new Error("fixture has no instance");
    const out = checkInstance(inst, NOW, [broken, ...RULES]);
    expect(out.some((d) => d.rule === "APIM.Policy.Broken" && d.summary.includes("bad data"))).toBe(true);
    expect(out.length).toBeGreaterThan(30);
  });

  it("is pure: the same snapshot and time give the same findings", () => {
    expect(checkEstate(ESTATE, NOW)).toEqual(detections);
  });

  it("does not read instances whose configuration was not collected", () => {
    const inst = ESTATE.instances[1];
    if (inst === undefined) throw new Error("fixture has no instance");
    const { config: _omit, ...bare } = inst;
    const out = checkInstance(bare, NOW).map((d) => d.rule);
    expect(out).not.toContain("APIM.Diagnostic.NoTelemetry");
    expect(out).toContain("APIM.Instance.Stv1");
  });

  it("hides keys in URLs it reports", () => {
    expect(redactUrl("https://user:pw@fn.azurewebsites.net/api/x?code=abc123&x=1")).toBe("https://***@fn.azurewebsites.net/api/x?code=***&x=***");
  });
});
