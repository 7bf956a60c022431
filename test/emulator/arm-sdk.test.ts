import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { all, apim, DEV, graph, monitor, NONPROD_SUB, PARTNERS, PREMIUM, PROD_SUB, rawGet } from "./sdk-clients";

const NOW = new Date("2026-03-10T12:00:00Z");
let emu: RunningEmulator;

beforeAll(async () => {
  emu = await startEmulator({ scenario: "scenarios/demo.json", now: NOW, frozenClock: true });
});
afterAll(async () => {
  await emu.close();
});

const serviceId = (sub: string, s: { rg: string; name: string }) => `/subscriptions/${sub}/resourceGroups/${s.rg}/providers/Microsoft.ApiManagement/service/${s.name}`;

describe("instances", () => {
  it("lists the same instances by subscription, by resource group and through Resource Graph", async () => {
    const byArm = [
      ...(await all(apim(emu, PROD_SUB).apiManagementService.list())),
      ...(await all(apim(emu, NONPROD_SUB).apiManagementService.list())),
    ];
    expect(byArm.map((s) => s.name).sort()).toEqual(["apim-contoso-dev", "apim-contoso-partners", "apim-contoso-prod-weu"]);
    const byRg = await all(apim(emu, PROD_SUB).apiManagementService.listByResourceGroup(PARTNERS.rg));
    expect(byRg.map((s) => s.name)).toEqual([PARTNERS.name]);

    const rg = await graph(emu).resources({
      query: "resources | where type =~ 'microsoft.apimanagement/service' | project id, name, type, location, sku, properties",
      subscriptions: [PROD_SUB, NONPROD_SUB],
    });
    const rows = rg.data as { id: string; type: string; location: string; properties: { provisioningState: string } }[];
    expect(rows.map((r) => r.id).sort()).toEqual(byArm.map((s) => s.id).sort());
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(["microsoft.apimanagement/service"]));
    expect(rows.find((r) => r.id.endsWith(PARTNERS.name))).toMatchObject({ location: "northeurope", properties: { provisioningState: "Updating" } });
  });

  it("shows the stuck StandardV2, the multi-region Premium and hostname certificates like ARM", async () => {
    const partners = await apim(emu, PROD_SUB).apiManagementService.get(PARTNERS.rg, PARTNERS.name);
    expect(partners).toMatchObject({ provisioningState: "Updating", targetProvisioningState: "Succeeded", sku: { name: "StandardV2", capacity: 2 } });
    const premium = await apim(emu, PROD_SUB).apiManagementService.get(PREMIUM.rg, PREMIUM.name);
    expect(premium.location).toBe("West Europe");
    expect(premium.zones).toEqual(["1", "2"]);
    expect(premium.additionalLocations?.map((l) => l.location)).toEqual(["North Europe"]);
    expect(premium.platformVersion).toBe("stv2");
    expect(premium.identity?.type).toBe("SystemAssigned");
    const proxy = premium.hostnameConfigurations?.find((h) => h.hostName === "api.contoso-demo.example");
    // Relative "+12d" resolves against the emulator's clock at load.
    expect(proxy?.certificate?.expiry?.toISOString()).toBe(new Date(NOW.getTime() + 12 * 86_400_000).toISOString());
    expect(proxy?.certificate?.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(premium.customProperties?.["Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10"]).toBe("false");
  });

  it("answers unknown names with ARM's 404 shape", async () => {
    await expect(apim(emu, PROD_SUB).apiManagementService.get(PREMIUM.rg, "apim-nope")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    await expect(apim(emu, PROD_SUB).api.get(PREMIUM.rg, PREMIUM.name, "no-such-api")).rejects.toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    await expect(apim(emu, "00000000-1111-2222-3333-444444444444").apiManagementService.get(PREMIUM.rg, PREMIUM.name)).rejects.toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
  });
});

describe("child collections page through nextLink", () => {
  it("pages subscription contracts and APIs past the first page", async () => {
    emu.resetStats();
    const client = apim(emu, PROD_SUB);
    const contracts = await all(client.subscription.list(PREMIUM.rg, PREMIUM.name));
    expect(contracts).toHaveLength(22);
    expect(emu.stats()["arm.subscriptions.list"]).toBe(3); // page size 10 in the demo
    const apis = await all(client.api.listByService(PREMIUM.rg, PREMIUM.name));
    expect(apis.map((a) => a.name)).toEqual(["orders-api", "payments-api", "customers-api", "catalog-api", "catalog-api-v2", "inventory-api"]);
    expect(emu.stats()["arm.apis.list"]).toBe(2); // page size 4
    const v2 = apis.find((a) => a.name === "catalog-api-v2");
    expect(v2).toMatchObject({ isCurrent: true, apiVersion: "v2", subscriptionRequired: true, protocols: ["https"] });
    expect(v2?.apiVersionSetId).toBe(`${serviceId(PROD_SUB, PREMIUM)}/apiVersionSets/catalog`);
  });

  it("never shows subscription keys, and refuses listSecrets as for a Reader", async () => {
    const client = apim(emu, PROD_SUB);
    const c = await client.subscription.get(PREMIUM.rg, PREMIUM.name, "partner-checkout");
    expect(c.primaryKey).toBeUndefined();
    expect(c.secondaryKey).toBeUndefined();
    expect(c).toMatchObject({ state: "active", scope: `${serviceId(PROD_SUB, PREMIUM)}/products/unlimited`, ownerId: `${serviceId(PROD_SUB, PREMIUM)}/users/lukas-novak` });
    expect(c.expirationDate?.toISOString()).toBe(new Date(NOW.getTime() + 5 * 86_400_000).toISOString());
    await expect(client.subscription.listSecrets(PREMIUM.rg, PREMIUM.name, "partner-checkout")).rejects.toMatchObject({ statusCode: 403, code: "AuthorizationFailed" });
  });

  it("hides secret named values and shows the failing Key Vault reference", async () => {
    const values = await all(apim(emu, PROD_SUB).namedValue.listByService(PREMIUM.rg, PREMIUM.name));
    const secret = values.find((v) => v.name === "payments-backend-token");
    expect(secret?.secret).toBe(true);
    expect(secret?.value).toBeUndefined();
    expect(JSON.stringify(values)).not.toContain("demo-fake-3f9a7c1e");
    const kv = values.find((v) => v.name === "orders-db-connection");
    expect(kv?.keyVault?.lastStatus?.code).toBe("Forbidden");
    expect(values.find((v) => v.name === "backend-base-url")?.value).toBe("https://retail.internal.contoso-demo.example");
  });

  it("serves the other collections the collect layer reads", async () => {
    const c = apim(emu, PROD_SUB);
    const [ops, versionSets, products, productApis, backends, diags, apiDiags, loggers, revisions, gateways, certs, users, network] = await Promise.all([
      all(c.apiOperation.listByApi(PREMIUM.rg, PREMIUM.name, "payments-api")),
      all(c.apiVersionSet.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.product.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.productApi.listByProduct(PREMIUM.rg, PREMIUM.name, "unlimited")),
      all(c.backend.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.diagnostic.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.apiDiagnostic.listByService(PREMIUM.rg, PREMIUM.name, "orders-api")),
      all(c.logger.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.portalRevision.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.gateway.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.certificate.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.user.listByService(PREMIUM.rg, PREMIUM.name)),
      c.networkStatus.listByService(PREMIUM.rg, PREMIUM.name),
    ]);
    expect(ops.map((o) => `${o.method} ${o.urlTemplate}`)).toEqual(["POST /payments", "POST /payments/{paymentId}/capture", "POST /payments/{paymentId}/refund"]);
    expect(versionSets[0]).toMatchObject({ name: "catalog", versioningScheme: "Segment" });
    expect(products.find((p) => p.name === "starter")).toMatchObject({ state: "published", subscriptionsLimit: 1 });
    expect(productApis.map((a) => a.name)).toContain("payments-api");
    expect(backends.find((b) => b.name === "inventory-backend")?.tls).toEqual({ validateCertificateChain: false, validateCertificateName: false });
    expect(diags.map((d) => d.name).sort()).toEqual(["applicationinsights", "azuremonitor"]);
    expect(apiDiags[0]?.loggerId).toBe(`${serviceId(PROD_SUB, PREMIUM)}/loggers/appi-contoso-prod`);
    expect(loggers.find((l) => l.name === "appi-contoso-prod")?.credentials?.instrumentationKey).toMatch(/^\{\{Logger-Credentials--/);
    expect(revisions.find((r) => r.isCurrent)?.status).toBe("completed");
    expect(gateways[0]?.locationData?.name).toBe("Amsterdam store");
    expect(certs[0]?.expirationDate?.toISOString()).toBe(new Date(NOW.getTime() + 150 * 86_400_000).toISOString());
    expect(users).toHaveLength(10);
    expect(network.map((n) => n.location)).toEqual(["West Europe", "North Europe"]);
    expect(network[0]?.networkStatus?.connectivityStatus?.every((s) => s.status === "success")).toBe(true);
    // The developer instance's portal was never published.
    expect(await all(apim(emu, NONPROD_SUB).portalRevision.listByService(DEV.rg, DEV.name))).toEqual([]);
  });
});

describe("policies", () => {
  const scopes = [
    { scope: "global", path: "policies/policy", expect: 'GetValueOrDefault("X-Forwarded-For", context.Request.IpAddress)' },
    { scope: "product", path: "products/starter/policies/policy", expect: '<rate-limit calls="5" renewal-period="60" />' },
    { scope: "api", path: "apis/orders-api/policies/policy", expect: 'return tier.Contains("priority") && context.Request.Headers.GetValueOrDefault("X-Order-Count", "0").AsInt() > 10;' },
    { scope: "operation", path: "apis/payments-api/operations/capture-payment/policies/policy", expect: '<set-header name="Authorization" exists-action="override">' },
  ];

  it.each(scopes)("returns the $scope policy raw with format=rawxml, CRLF line endings and C# intact", async ({ path, expect: fragment }) => {
    const c = apim(emu, PROD_SUB);
    const { status, json } = await rawGet(c, `${emu.url}${serviceId(PROD_SUB, PREMIUM)}/${path}?api-version=2024-05-01&format=rawxml`);
    expect(status).toBe(200);
    const value = (json as { properties: { value: string; format: string } }).properties;
    expect(value.format).toBe("rawxml");
    expect(value.value).toContain(fragment);
    expect(value.value).toContain("\r\n");
    expect(value.value.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("escapes expressions in format=xml, and the SDK's policy lists carry the value", async () => {
    const c = apim(emu, PROD_SUB);
    const list = await c.apiPolicy.listByApi(PREMIUM.rg, PREMIUM.name, "orders-api");
    const xml = list.value?.[0]?.value ?? "";
    expect(xml).toContain('return tier.Contains(&quot;priority&quot;) &amp;&amp; context.Request.Headers.GetValueOrDefault(&quot;X-Order-Count&quot;, &quot;0&quot;).AsInt() &gt; 10;');
    expect(xml).toContain("<set-backend-service backend-id=\"orders-backend\" />");
    const [global, product, operation] = await Promise.all([
      all(c.policy.listByService(PREMIUM.rg, PREMIUM.name)),
      all(c.productPolicy.listByProduct(PREMIUM.rg, PREMIUM.name, "starter")),
      c.apiOperationPolicy.listByOperation(PREMIUM.rg, PREMIUM.name, "payments-api", "capture-payment").then((r) => r.value ?? []),
    ]);
    expect(global[0]?.value).toContain("&quot;X-Forwarded-For&quot;");
    expect(product[0]?.value).toContain("<rate-limit calls=\"5\"");
    expect(product[0]?.value).not.toMatch(/<inbound>[^]*<base \/>[^]*<\/inbound>/);
    expect(operation[0]?.value).toContain("Bearer eyJ");
  });

  it("answers 404 for a scope without a policy, and an empty list", async () => {
    const c = apim(emu, NONPROD_SUB);
    await expect(c.apiPolicy.get(DEV.rg, DEV.name, "echo-api", "policy")).rejects.toMatchObject({ statusCode: 404 });
    expect((await c.apiPolicy.listByApi(DEV.rg, DEV.name, "echo-api")).value).toEqual([]);
  });
});

describe("monitoring plumbing", () => {
  it("reads diagnostic settings (monitor SDK, // path) and the workspace they point at", async () => {
    const settings = await monitor(emu, PROD_SUB).diagnosticSettings.list(serviceId(PROD_SUB, PREMIUM));
    const s = settings.value?.[0];
    expect(s).toMatchObject({ name: "gateway-logs-to-law", logAnalyticsDestinationType: "Dedicated" });
    expect(s?.logs?.map((l) => l.category)).toContain("GatewayLogs");
    const ws = await rawGet(apim(emu, PROD_SUB), `${emu.url}${s?.workspaceId ?? ""}?api-version=2022-10-01`);
    expect(ws.status).toBe(200);
    expect((ws.json as { properties: { customerId: string } }).properties.customerId).toBe("5f2b8c1d-9e47-4a3b-b6d0-2c8e7f1a9d35");
    const none = await monitor(emu, NONPROD_SUB).diagnosticSettings.list(serviceId(NONPROD_SUB, DEV));
    expect(none.value).toEqual([]);
  });

  it("filters the Activity Log by time window and resource", async () => {
    const id = serviceId(PROD_SUB, PARTNERS);
    const from = new Date(NOW.getTime() - 2 * 3_600_000).toISOString();
    const to = NOW.toISOString();
    const events = await all(monitor(emu, PROD_SUB).activityLogs.list(`eventTimestamp ge '${from}' and eventTimestamp le '${to}' and resourceUri eq '${id}'`));
    expect(events.map((e) => e.status?.value)).toEqual(["Started", "Accepted"]);
    expect(events[0]?.eventTimestamp?.toISOString()).toBe(new Date(NOW.getTime() - 41 * 60_000).toISOString());
    expect(events[0]?.correlationId).toBe("6a1f3c9e-2b4d-4e8a-9c7f-0d5e1b3a8c24");
    const month = await all(
      monitor(emu, PROD_SUB).activityLogs.list(`eventTimestamp ge '${new Date(NOW.getTime() - 35 * 86_400_000).toISOString()}' and resourceUri eq '${id}'`),
    );
    expect(month).toHaveLength(3);
    await expect(all(monitor(emu, PROD_SUB).activityLogs.list(`resourceUri eq '${id}'`))).rejects.toMatchObject({ statusCode: 400 });
  });

  it("reports Resource Health availability", async () => {
    const r = await rawGet(apim(emu, PROD_SUB), `${emu.url}${serviceId(PROD_SUB, PREMIUM)}/providers/Microsoft.ResourceHealth/availabilityStatuses/current?api-version=2022-10-01`);
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ name: "current", properties: { availabilityState: "Available" } });
  });
});

describe("wire details", () => {
  it("refuses requests without the bearer token with an ARM-shaped 401", async () => {
    const res = await fetchInsecure(`${emu.url}/subscriptions/${PROD_SUB}/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`, {});
    expect(res.status).toBe(401);
    expect(res.json).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const wrong = await fetchInsecure(`${emu.url}/subscriptions/${PROD_SUB}/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`, { authorization: "Bearer not-the-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });

  it("lists the Azure subscriptions the identity can read", async () => {
    const r = await rawGet(apim(emu, PROD_SUB), `${emu.url}/subscriptions?api-version=2022-12-01`);
    const subs = (r.json as { value: { subscriptionId: string; displayName: string; state: string }[] }).value;
    expect(subs.map((s) => [s.subscriptionId, s.displayName, s.state])).toEqual([
      [PROD_SUB, "contoso-apim-prod", "Enabled"],
      [NONPROD_SUB, "contoso-apim-nonprod", "Enabled"],
    ]);
  });

  it("accepts // paths and api%2Dversion", async () => {
    const res = await fetchInsecure(`${emu.url}//subscriptions/${PROD_SUB}/providers/Microsoft.ApiManagement/service?api%2Dversion=2024-05-01`, { authorization: `Bearer ${emu.token}` });
    expect(res.status).toBe(200);
    expect((res.json as { value: unknown[] }).value).toHaveLength(2);
  });

  it("pages Resource Graph with $skipToken and refuses queries outside the supported subset", async () => {
    const g = graph(emu);
    const query = "resources | where type =~ 'microsoft.apimanagement/service' | order by name asc | project name, subscriptionId";
    const first = await g.resources({ query, options: { top: 2 } });
    expect(first.totalRecords).toBe(3);
    expect(first.count).toBe(2);
    expect(first.skipToken).toBeTruthy();
    const second = await g.resources({ query, options: { top: 2, skipToken: first.skipToken } });
    expect([...(first.data as { name: string }[]), ...(second.data as { name: string }[])].map((r) => r.name)).toEqual(["apim-contoso-dev", "apim-contoso-partners", "apim-contoso-prod-weu"]);
    expect(second.skipToken).toBeUndefined();
    const scoped = await g.resources({ query: `resources | where type =~ 'microsoft.apimanagement/service' | where subscriptionId in ('${NONPROD_SUB}')` });
    expect((scoped.data as { name: string }[]).map((r) => r.name)).toEqual(["apim-contoso-dev"]);
    await expect(g.resources({ query: "resources | where type =~ 'microsoft.apimanagement/service' | summarize count() by location" })).rejects.toMatchObject({
      statusCode: 400,
      details: { error: { details: expect.arrayContaining([expect.objectContaining({ message: expect.stringContaining("summarize") })]) } },
    });
  });
});

async function fetchInsecure(url: string, headers: Record<string, string>): Promise<{ status: number; json: unknown }> {
  const https = await import("node:https");
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "GET", headers, ca: emu.caCertPem }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}
