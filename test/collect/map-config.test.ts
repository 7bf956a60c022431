import { describe, expect, it } from "vitest";
import { fromPolicyBody, fromSdkBackend, fromSdkNamedValue, fromSdkSubscription, parseSubscriptionScope, unescapeXml } from "../../src/collect/map-config";
import { destinationsFromSettings } from "../../src/collect/read-log-destinations";
import { fromSdkEvent, parseStatusMessage, activityFilter } from "../../src/collect/read-activity";
import { fromHealthBody } from "../../src/collect/read-health";

const SVC = "/subscriptions/6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop";

describe("fromPolicyBody", () => {
  const raw =
    '<policies>\r\n  <inbound>\r\n    <base />\r\n    <set-header name="x-total" exists-action="override">\r\n      <value>@(context.Request.Headers.GetValueOrDefault("x-a","0").Length > 3 ? "big" : "small")</value>\r\n    </set-header>\r\n  </inbound>\r\n  <backend><base /></backend>\r\n  <outbound><base /></outbound>\r\n</policies>';

  it("keeps a rawxml document as authored, CRLF and raw expressions included", () => {
    const doc = fromPolicyBody(
      { id: `${SVC}/apis/orders/policies/policy`, type: "Microsoft.ApiManagement/service/apis/policies", name: "policy", properties: { format: "rawxml", value: raw } },
      { scope: "api", apiName: "orders" },
      "fallback",
    );
    expect(doc).toEqual({ id: `${SVC}/apis/orders/policies/policy`, scope: "api", apiName: "orders", xml: raw, format: "rawxml" });
    expect(doc!.xml).toContain("Length > 3");
  });

  it("treats a body without a format as xml and unescapes a document escaped as a whole", () => {
    const escaped = "&lt;policies&gt;&lt;inbound&gt;&lt;base /&gt;&lt;/inbound&gt;&lt;/policies&gt;";
    const doc = fromPolicyBody({ properties: { value: escaped } }, { scope: "operation", apiName: "orders", operationName: "get-order" }, `${SVC}/apis/orders/operations/get-order/policies/policy`);
    expect(doc).toMatchObject({ scope: "operation", operationName: "get-order", format: "xml", xml: "<policies><inbound><base /></inbound></policies>" });
    expect(doc!.id).toBe(`${SVC}/apis/orders/operations/get-order/policies/policy`);
  });

  it("returns nothing for a body without policy text (the SDK's lost-value case)", () => {
    expect(fromPolicyBody({ id: "x", properties: { format: "rawxml" } }, { scope: "global" }, "x")).toBeUndefined();
    expect(fromPolicyBody("<policies/>", { scope: "global" }, "x")).toBeUndefined();
  });

  it("decodes character references", () => {
    expect(unescapeXml("s =&gt; s[0] &amp;&amp; &#x9;P3Y &#65;")).toBe("s => s[0] && \tP3Y A");
  });
});

describe("subscriptions", () => {
  it("parses every scope form ARM uses", () => {
    expect(parseSubscriptionScope("/apis")).toEqual({ scopeKind: "all-apis" });
    expect(parseSubscriptionScope("/apis/orders")).toEqual({ scopeKind: "api", scopeName: "orders" });
    expect(parseSubscriptionScope(`${SVC}/products/starter`)).toEqual({ scopeKind: "product", scopeName: "starter" });
    expect(parseSubscriptionScope(`${SVC}/products/starter/`)).toEqual({ scopeKind: "product", scopeName: "starter" });
    expect(parseSubscriptionScope("/weird")).toEqual({ scopeKind: "unknown" });
  });

  it("maps a contract with its owner and never copies keys", () => {
    const users = new Map([["u-4711", { id: `${SVC}/users/u-4711`, name: "u-4711", email: "dana@contoso.example", firstName: "Dana", lastName: "Kim" }]]);
    const sub = fromSdkSubscription(
      {
        id: `${SVC}/subscriptions/partner-acme`,
        name: "partner-acme",
        ownerId: `${SVC}/users/U-4711`,
        scope: `${SVC}/products/partners`,
        displayName: "ACME partner key",
        state: "active",
        createdDate: new Date("2025-12-01T09:00:00Z"),
        expirationDate: new Date("2026-12-02T00:00:00Z"),
        primaryKey: "0123456789abcdef0123456789abcdef",
        secondaryKey: "fedcba9876543210fedcba9876543210",
      },
      users,
    );
    expect(sub).toEqual({
      id: `${SVC}/subscriptions/partner-acme`,
      name: "partner-acme",
      displayName: "ACME partner key",
      state: "active",
      scope: `${SVC}/products/partners`,
      scopeKind: "product",
      scopeName: "partners",
      ownerId: `${SVC}/users/U-4711`,
      ownerName: "Dana Kim",
      ownerEmail: "dana@contoso.example",
      createdDate: "2025-12-01T09:00:00.000Z",
      expirationDate: "2026-12-02T00:00:00.000Z",
    });
    expect(JSON.stringify(sub)).not.toContain("0123456789abcdef");
  });
});

describe("secret-bearing resources", () => {
  it("drops the value of secret named values and keeps Key Vault status", () => {
    expect(fromSdkNamedValue({ id: `${SVC}/namedValues/db-pass`, name: "db-pass", displayName: "db-pass", secret: true, value: "hunter2" }).value).toBeUndefined();
    expect(fromSdkNamedValue({ id: `${SVC}/namedValues/region`, name: "region", displayName: "region", secret: false, value: "westeurope" }).value).toBe("westeurope");
    const kv = fromSdkNamedValue({
      id: `${SVC}/namedValues/signing-key`,
      name: "signing-key",
      displayName: "signing-key",
      secret: true,
      keyVault: { secretIdentifier: "https://kv-shop.vault.azure.net/secrets/signing", lastStatus: { code: "Forbidden", message: "Access denied to key vault", timeStampUtc: new Date("2026-11-27T06:00:00Z") } },
    });
    expect(kv.keyVault).toEqual({ secretIdentifier: "https://kv-shop.vault.azure.net/secrets/signing", lastStatus: { code: "Forbidden", message: "Access denied to key vault", timeStampUtc: "2026-11-27T06:00:00.000Z" } });
  });

  it("reduces backend credentials to a flag", () => {
    const b = fromSdkBackend({ id: `${SVC}/backends/erp`, name: "erp", url: "https://erp.internal", protocol: "http", credentials: { header: { "x-api-key": ["s3cr3t"] } }, tls: { validateCertificateChain: false } });
    expect(b).toMatchObject({ hasCredentials: true, hasCircuitBreaker: false, validateCertificateChain: false });
    expect(JSON.stringify(b)).not.toContain("s3cr3t");
  });
});

describe("log destinations", () => {
  it("keeps workspace destinations that receive gateway logs, typed by destination", () => {
    const ws = "/subscriptions/6b1f3c2e-8d4a-4e57-9a10-2f3e4d5c6b7a/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops";
    const out = destinationsFromSettings([
      { name: "to-law", workspaceId: ws, logAnalyticsDestinationType: "Dedicated", logs: [{ category: "GatewayLogs", enabled: true }] },
      { name: "legacy", workspaceId: `${ws}-legacy`, logs: [{ enabled: true }] },
      { name: "metrics-only", workspaceId: `${ws}-m`, logs: [{ category: "GatewayLogs", enabled: false }] },
      { name: "storage", storageAccountId: "/subscriptions/x/storage", logs: [{ category: "GatewayLogs", enabled: true }] },
    ]);
    expect(out).toEqual([
      { workspaceResourceId: ws, destinationType: "Dedicated" },
      { workspaceResourceId: `${ws}-legacy`, destinationType: "AzureDiagnostics" },
    ]);
  });
});

describe("activity log and health", () => {
  it("reads the error of a failed operation from statusMessage", () => {
    const ev = fromSdkEvent({
      operationName: { value: "Microsoft.ApiManagement/service/write", localizedValue: "Create or update service" },
      status: { value: "Failed" },
      subStatus: { value: "" },
      eventTimestamp: new Date("2026-11-27T08:41:00Z"),
      correlationId: "8a1e9c55-0c1d-4f7b-9d3e-5b6a7c8d9e0f",
      caller: "ops@contoso.example",
      properties: { statusCode: "Conflict", statusMessage: JSON.stringify({ status: "Failed", error: { code: "InvalidParameters", message: "Virtual network subnet has no NSG allowing port 3443 with Bearer abc.def" } }) },
    });
    expect(ev).toEqual({
      operationName: "Microsoft.ApiManagement/service/write",
      status: "Failed",
      eventTimestamp: "2026-11-27T08:41:00.000Z",
      correlationId: "8a1e9c55-0c1d-4f7b-9d3e-5b6a7c8d9e0f",
      caller: "ops@contoso.example",
      errorCode: "InvalidParameters",
      errorMessage: "Virtual network subnet has no NSG allowing port 3443 with Bearer [redacted]",
    });
    expect(parseStatusMessage("not json at all")).toEqual({ message: "not json at all" });
    expect(parseStatusMessage(JSON.stringify({ error: { details: [{ code: "Quota", message: "No capacity" }] } }))).toEqual({ code: "Quota", message: "No capacity" });
  });

  it("filters the activity log on time range and resource", () => {
    expect(activityFilter(`${SVC}`, new Date("2026-11-26T10:00:00Z"), new Date("2026-11-27T10:00:00Z"))).toBe(
      `eventTimestamp ge '2026-11-26T10:00:00.000Z' and eventTimestamp le '2026-11-27T10:00:00.000Z' and resourceUri eq '${SVC}'`,
    );
  });

  it("maps an availability status", () => {
    expect(fromHealthBody({ properties: { availabilityState: "Degraded", summary: "We're sorry, your API Management service is degraded", reasonType: "Unplanned", occuredTime: "2026-11-27T09:00:00Z" } })).toEqual({
      availabilityState: "Degraded",
      summary: "We're sorry, your API Management service is degraded",
      reasonType: "Unplanned",
      occuredTime: "2026-11-27T09:00:00.000Z",
    });
    expect(fromHealthBody(undefined).availabilityState).toBe("Unknown");
  });
});
