/**
 * One shared estate of named resources for the rule tests. Each resource's name says what it is
 * meant to show; each rule test asserts exactly which of them fail.
 */
import type {
  ApiInfo,
  BackendInfo,
  DiagnosticInfo,
  EstateSnapshot,
  InstanceConfig,
  InstanceSnapshot,
  NamedValueInfo,
  PolicyDoc,
  ProductInfo,
  ServiceInstance,
  SubscriptionContract,
} from "../../src/domain/snapshot";

/** The time every rule test runs at. */
export const NOW = new Date("2026-11-23T08:00:00Z");
const SUB = "00000000-1111-2222-3333-444444444444";

function days(n: number): string {
  return new Date(NOW.getTime() + n * 86_400_000).toISOString();
}

/** The ARM id of a service. */
export function serviceId(name: string, rg = "rg-apim"): string {
  return `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.ApiManagement/service/${name}`;
}

const SECURE_TLS: Record<string, string> = {
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "false",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Ssl30": "False",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10": "false",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls11": "false",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Ssl30": "false",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TripleDes168": "false",
  "Microsoft.WindowsAzure.ApiManagement.Gateway.Protocols.Server.Http2": "true",
};

function instance(name: string, over: Partial<ServiceInstance>): ServiceInstance {
  return {
    id: serviceId(name),
    name,
    subscriptionId: SUB,
    resourceGroup: "rg-apim",
    location: "West Europe",
    sku: { name: "Standard", capacity: 1 },
    provisioningState: "Succeeded",
    targetProvisioningState: "",
    platformVersion: "stv2",
    createdAtUtc: "2022-03-14T10:00:00Z",
    gatewayUrl: `https://${name}.azure-api.net`,
    virtualNetworkType: "None",
    customProperties: { ...SECURE_TLS },
    hostnameConfigurations: [{ type: "Proxy", hostName: `${name}.azure-api.net`, certificateSource: "BuiltIn", defaultSslBinding: true }],
    identityType: "SystemAssigned",
    zones: [],
    additionalLocations: [],
    tags: { environment: "test" },
    ...over,
  };
}

function goodDiagnostics(serviceName: string): DiagnosticInfo[] {
  return [
    {
      id: `${serviceId(serviceName)}/diagnostics/applicationinsights`,
      name: "applicationinsights",
      loggerId: `${serviceId(serviceName)}/loggers/appinsights`,
      alwaysLog: "allErrors",
      samplingPercentage: 25,
      verbosity: "information",
      headersLogged: { "frontend.request": ["traceparent"] },
      bodyBytes: { "frontend.request": 0, "frontend.response": 0 },
    },
  ];
}

function config(serviceName: string, over: Partial<InstanceConfig> = {}): InstanceConfig {
  return {
    apis: [],
    operations: [],
    products: [],
    policies: [],
    backends: [],
    namedValues: [],
    diagnostics: goodDiagnostics(serviceName),
    loggers: [],
    portalRevisions: [{ id: `${serviceId(serviceName)}/portalRevisions/r1`, name: "r1", status: "completed", isCurrent: true }],
    gateways: [],
    certificates: [],
    versionSets: [],
    networkStatus: [],
    users: [],
    ...over,
  };
}

function snap(inst: ServiceInstance, cfg: InstanceConfig | undefined, subscriptions?: SubscriptionContract[]): InstanceSnapshot {
  return { instance: inst, readAt: NOW.toISOString(), ...(cfg !== undefined ? { config: cfg } : {}), ...(subscriptions !== undefined ? { subscriptions } : {}), failures: [] };
}

// ---------------------------------------------------------------------------------------------
// apim-contoso: the busy production instance holding most good and bad configuration.

const C = serviceId("apim-contoso");

function api(name: string, over: Partial<ApiInfo>): ApiInfo {
  return {
    id: `${C}/apis/${name}`,
    name,
    displayName: name,
    path: name,
    protocols: ["https"],
    serviceUrl: `https://${name}-backend.azurewebsites.net`,
    description: `The ${name} API.`,
    subscriptionRequired: true,
    isCurrent: true,
    hasAuthenticationSettings: false,
    ...over,
  };
}

function policy(scope: PolicyDoc["scope"], xml: string, names: { product?: string; api?: string; operation?: string } = {}): PolicyDoc {
  const path =
    scope === "global"
      ? ""
      : scope === "product"
        ? `/products/${names.product}`
        : scope === "api"
          ? `/apis/${names.api}`
          : `/apis/${names.api}/operations/${names.operation}`;
  return {
    id: `${C}${path}/policies/policy`,
    scope,
    ...(names.product !== undefined ? { productName: names.product } : {}),
    ...(names.api !== undefined ? { apiName: names.api } : {}),
    ...(names.operation !== undefined ? { operationName: names.operation } : {}),
    xml,
    format: "rawxml",
  };
}

const crlf = (s: string) => s.replace(/\r?\n/g, "\r\n");

/** Global scope: no <base /> anywhere (correct here), expression-heavy, CORS for named origins. */
export const GLOBAL_POLICY = crlf(`<!--
    IMPORTANT:
    - Policy elements can appear only within the <inbound>, <outbound>, <backend> section elements.
-->
<policies>
  <inbound>
    <cors allow-credentials="true">
      <allowed-origins>
        <origin>https://portal.contoso.com</origin>
      </allowed-origins>
      <allowed-methods><method>GET</method><method>POST</method></allowed-methods>
    </cors>
    <set-variable name="clientIp" value="@(context.Request.IpAddress)" />
    <choose>
      <when condition="@(context.Request.Headers.GetValueOrDefault("X-Forwarded-For","").Split(',').Length > 3 && context.Request.Url.Path.Length < 2048)">
        <return-response><set-status code="400" reason="Bad Request" /></return-response>
      </when>
    </choose>
  </inbound>
  <backend>
    <forward-request />
  </backend>
  <outbound>
    <set-header name="X-Powered-By" exists-action="delete" />
  </outbound>
  <on-error />
</policies>`);

/** Orders API: everything right, with C# generics, lambdas, verbatim and interpolated strings. */
export const ORDERS_POLICY = crlf(`\uFEFF<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401" require-scheme="Bearer" clock-skew="60">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences><audience>api://orders</audience></audiences>
      <required-claims><claim name="roles" match="any"><value>Orders.Read</value></claim></required-claims>
    </validate-jwt>
    <set-variable name="tenant" value="@{
        var jwt = context.Request.Headers.GetValueOrDefault("Authorization", "").AsJwt();
        var tid = jwt?.Claims.GetValueOrDefault("tid", "none");
        // a comment with a quote " and a < sign
        return tid == null || tid.Length < 1 ? @"un""known" : $"t-{tid.ToLower()}-{(tid.Length > 3 ? "long" : "short")}";
    }" />
    <rate-limit-by-key calls="100" renewal-period="60" counter-key="@(context.Variables.GetValueOrDefault<string>("tenant"))" />
    <set-header name="Authorization" exists-action="override">
      <value>@("Bearer " + context.Variables.GetValueOrDefault<string>("backendToken"))</value>
    </set-header>
    <set-header name="x-functions-key" exists-action="override">
      <value>{{orders-function-key}}</value>
    </set-header>
    <set-backend-service base-url="https://orders-backend.azurewebsites.net/api" />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
    <set-body>@{
        var body = context.Response.Body.As<JObject>(preserveContent: true);
        var items = body["items"] as JArray;
        if (items != null && items.Count > 0 && items.Count < 100) { body["count"] = items.Count; }
        return body.ToString();
    }</set-body>
    <log-to-eventhub logger-id="audit">@(string.Join(",", DateTime.UtcNow, context.Request.Method, context.Response.StatusCode, context.Request.Url.Path))</log-to-eventhub>
  </outbound>
  <on-error>
    <base />
    <trace source="orders" severity="error"><message>@(context.LastError.Reason + ": " + context.LastError.Message)</message></trace>
  </on-error>
</policies>`);

/** Legacy billing API: most policy mistakes at once. */
export const BILLING_POLICY = crlf(`<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="http://login.legacy-idp.contoso.net/.well-known/openid-configuration" />
      <issuer-signing-keys><key>c2lnbmluZy1rZXktZm9yLWJpbGxpbmctMjAyNg==</key></issuer-signing-keys>
    </validate-jwt>
    <cors>
      <allowed-origins><origin>*</origin></allowed-origins>
    </cors>
    <set-header name="Authorization" exists-action="override">
      <value>Basic YmlsbGluZzpTM2NyZXQh</value>
    </set-header>
    <set-query-parameter name="code" exists-action="override">
      <value>aBcD3fGh1jKlMn0pQrStUvWxYz==</value>
    </set-query-parameter>
    <authentication-basic username="billing" password="Winter2026!" />
    <set-backend-service base-url="http://billing.corp.contoso.net:8080/" />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
    <rate-limit-by-key calls="10" renewal-period="60" counter-key="@(context.Request.IpAddress)" />
    <log-to-eventhub logger-id="billing-audit">@(context.Request.Headers.GetValueOrDefault("Authorization","") + "|" + context.Request.Body.As<string>(preserveContent: true))</log-to-eventhub>
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>`);

/** Partners product: drops inherited inbound policies and meters in the wrong section. */
export const PARTNERS_POLICY = crlf(`<policies>
  <inbound>
    <rate-limit calls="1000" renewal-period="60" />
  </inbound>
  <backend><base /></backend>
  <outbound>
    <base />
    <quota calls="100000" renewal-period="604800" />
  </outbound>
  <on-error><base /></on-error>
</policies>`);

/** Starter product: correct. */
export const STARTER_POLICY = crlf(`<policies>
  <inbound>
    <base />
    <rate-limit calls="5" renewal-period="60" />
    <quota calls="100" renewal-period="604800" />
    <authentication-basic username="svc" password="{{starter-backend-password}}" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`);

/** Operation orders/get-order: outbound forgets <base />. */
export const GET_ORDER_POLICY = crlf(`<policies>
  <inbound>
    <base />
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />
  </inbound>
  <backend><base /></backend>
  <outbound>
    <cache-store duration="@(context.Response.StatusCode == 200 && context.Request.Url.Query.Count < 3 ? 300 : 0)" />
  </outbound>
  <on-error><base /></on-error>
</policies>`);

/** Inventory API: truly malformed (an element closed with the wrong name on line 5). */
export const INVENTORY_POLICY = crlf(`<policies>
  <inbound>
    <base />
    <set-header name="X-Api-Key" exists-action="override"><value>plain-text-key-123456</value></set-header>
  </inbound-typo>
  <backend><base /></backend>
  <outbound><base /></outbound>
</policies>`);

/** Webhooks operations each validate a JWT, so the API is not open although it needs no key. */
const WEBHOOK_OP_POLICY = crlf(`<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" clock-skew="30">
      <openid-config url="https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration" />
      <audiences><audience>api://webhooks</audience></audiences>
      <issuer-signing-keys><key certificate-id="webhooks-signer" /><key>{{webhooks-signing-key}}</key></issuer-signing-keys>
    </validate-jwt>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>`);

const contosoApis: ApiInfo[] = [
  api("orders", { displayName: "Orders", path: "orders", apiVersion: "v1", apiVersionSetId: `${C}/apiVersionSets/orders-vs` }),
  api("orders-v2", { displayName: "Orders", path: "orders", apiVersion: "v2", apiVersionSetId: `${C}/apiVersionSets/orders-vs` }),
  api("legacy-billing", { protocols: ["http", "https"], serviceUrl: "http://billing.corp.contoso.net:8080", description: "", subscriptionRequired: false }),
  api("public-status", { subscriptionRequired: false, serviceUrl: "https://status.example.com/health" }),
  api("inventory", { serviceUrl: "/inventory" }),
  api("catalog", { displayName: "Catalog", path: "catalog" }),
  api("catalog-v2", { displayName: "Catalog v2", path: "catalog/v2" }),
  api("webhooks", { subscriptionRequired: false }),
];

const contosoProducts: ProductInfo[] = [
  { id: `${C}/products/starter`, name: "starter", displayName: "Starter", state: "published", subscriptionRequired: true, approvalRequired: false, apiNames: ["orders"] },
  { id: `${C}/products/partners`, name: "partners", displayName: "Partners", description: "Partner access", state: "published", subscriptionRequired: true, approvalRequired: true, terms: "Partners agree to the API terms of use.", apiNames: ["orders", "catalog"] },
  { id: `${C}/products/open-data`, name: "open-data", displayName: "Open data", state: "published", subscriptionRequired: false, approvalRequired: false, apiNames: ["public-status"] },
];

const contosoBackends: BackendInfo[] = [
  { id: `${C}/backends/payments-secure`, name: "payments-secure", url: "https://payments.contoso.net/api", protocol: "http", validateCertificateChain: true, validateCertificateName: true, hasCredentials: true, hasCircuitBreaker: true },
  { id: `${C}/backends/legacy-http`, name: "legacy-http", url: "http://10.1.2.3:8080/soap", protocol: "soap", hasCredentials: false, hasCircuitBreaker: false },
  { id: `${C}/backends/test-no-validate`, name: "test-no-validate", url: "https://uat.payments.contoso.net", protocol: "http", validateCertificateChain: false, validateCertificateName: true, hasCredentials: false, hasCircuitBreaker: false },
];

function nv(name: string, over: Partial<NamedValueInfo>): NamedValueInfo {
  return { id: `${C}/namedValues/${name}`, name, displayName: name, secret: false, tags: [], ...over };
}

const contosoNamedValues: NamedValueInfo[] = [
  nv("orders-function-key", { secret: true, keyVault: { secretIdentifier: "https://kv-contoso.vault.azure.net/secrets/orders-function-key", lastStatus: { code: "Success", timeStampUtc: "2026-11-23T06:00:00Z" } } }),
  nv("starter-backend-password", { secret: true }),
  nv("storage-conn", { value: "DefaultEndpointsProtocol=https;AccountName=contosologs;AccountKey=q8Z3xW0pN4r7Tb2Kf9Lm1Vc6Ys5Hd3Ja==;EndpointSuffix=core.windows.net" }),
  nv("partner-api-token", { value: "tok_live_4f9a8b7c6d5e" }),
  nv("region-name", { value: "westeurope" }),
  nv("support-url", { value: "https://support.contoso.com/apis" }),
  nv("kv-rotated-secret", { secret: true, keyVault: { secretIdentifier: "https://kv-contoso.vault.azure.net/secrets/rotated", lastStatus: { code: "Forbidden", message: "Access denied to the vault", timeStampUtc: "2026-11-20T06:00:00Z" } } }),
];

function sub(name: string, over: Partial<SubscriptionContract>): SubscriptionContract {
  return { id: `${C}/subscriptions/${name}`, name, displayName: name, state: "active", scope: `${C}/products/partners`, scopeKind: "product", scopeName: "partners", ownerName: "Ana Lopez", ...over };
}

const contosoSubscriptions: SubscriptionContract[] = [
  sub("sub-expiring", { expirationDate: days(12) }),
  sub("sub-expiring-soon", { expirationDate: days(3) }),
  sub("sub-long-lived", { expirationDate: days(200) }),
  sub("sub-already-expired", { state: "expired", expirationDate: days(-4) }),
  sub("sub-suspended", { state: "suspended" }),
  sub("sub-all-apis", { scope: `${C}/apis`, scopeKind: "all-apis", scopeName: undefined }),
  sub("master", { displayName: "Built-in all-access subscription", scope: `${C}/apis`, scopeKind: "all-apis", scopeName: undefined }),
];

const contosoDiagnostics: DiagnosticInfo[] = [
  {
    id: `${C}/diagnostics/applicationinsights`,
    name: "applicationinsights",
    loggerId: `${C}/loggers/appinsights`,
    alwaysLog: "allErrors",
    samplingPercentage: 100,
    verbosity: "information",
    headersLogged: { "frontend.request": ["traceparent"] },
    bodyBytes: {},
  },
  {
    id: `${C}/apis/legacy-billing/diagnostics/applicationinsights`,
    name: "applicationinsights",
    apiName: "legacy-billing",
    loggerId: `${C}/loggers/appinsights`,
    samplingPercentage: 1,
    verbosity: "verbose",
    headersLogged: { "frontend.request": ["Authorization", "traceparent"] },
    bodyBytes: { "frontend.request": 1024 },
  },
];

const contoso = snap(
  instance("apim-contoso", {
    tags: { environment: "production" },
    hostnameConfigurations: [
      { type: "Proxy", hostName: "apim-contoso.azure-api.net", certificateSource: "BuiltIn", defaultSslBinding: false },
      { type: "Proxy", hostName: "api.contoso.com", certificateSource: "KeyVault", keyVaultId: "https://kv-contoso.vault.azure.net/secrets/api-cert", certificate: { expiry: days(12), thumbprint: "A1B2C3D4E5F6", subject: "CN=api.contoso.com" } },
      { type: "DeveloperPortal", hostName: "developer.contoso.com", certificateSource: "Custom", certificate: { expiry: days(300), thumbprint: "0F0E0D0C", subject: "CN=developer.contoso.com" } },
    ],
  }),
  config("apim-contoso", {
    apis: contosoApis,
    operations: [
      { id: `${C}/apis/orders/operations/get-order`, apiName: "orders", name: "get-order", displayName: "Get order", method: "GET", urlTemplate: "/orders/{id}" },
      { id: `${C}/apis/public-status/operations/health`, apiName: "public-status", name: "health", displayName: "Health", method: "GET", urlTemplate: "/health" },
      { id: `${C}/apis/webhooks/operations/push`, apiName: "webhooks", name: "push", displayName: "Push", method: "POST", urlTemplate: "/push" },
    ],
    products: contosoProducts,
    policies: [
      policy("global", GLOBAL_POLICY),
      policy("product", STARTER_POLICY, { product: "starter" }),
      policy("product", PARTNERS_POLICY, { product: "partners" }),
      policy("api", ORDERS_POLICY, { api: "orders" }),
      policy("api", BILLING_POLICY, { api: "legacy-billing" }),
      policy("api", INVENTORY_POLICY, { api: "inventory" }),
      policy("operation", GET_ORDER_POLICY, { api: "orders", operation: "get-order" }),
      policy("operation", WEBHOOK_OP_POLICY, { api: "webhooks", operation: "push" }),
    ],
    backends: contosoBackends,
    namedValues: contosoNamedValues,
    diagnostics: contosoDiagnostics,
  }),
  contosoSubscriptions,
);

// ---------------------------------------------------------------------------------------------
// The other instances each show one kind of instance-level problem, or none.

const legacy = snap(
  instance("apim-legacy", { sku: { name: "Developer", capacity: 1 }, platformVersion: "stv1", createdAtUtc: "2017-06-01T09:00:00Z", customProperties: {} }),
  config("apim-legacy", { diagnostics: [], portalRevisions: [], gateways: [{ id: `${serviceId("apim-legacy")}/gateways/onprem-gw`, name: "onprem-gw", location: "Amsterdam DC" }] }),
);

const E = serviceId("apim-edge");
const edge = snap(
  instance("apim-edge", {
    sku: { name: "Premium", capacity: 2 },
    virtualNetworkType: "Internal",
    identityType: "None",
    customProperties: {
      ...SECURE_TLS,
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "True",
      "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA": "true",
    },
    hostnameConfigurations: [{ type: "Proxy", hostName: "edge.contoso.com", certificateSource: "Managed", certificate: { expiry: days(5), thumbprint: "77", subject: "CN=edge.contoso.com" } }],
  }),
  config("apim-edge", {
    namedValues: [{ id: `${E}/namedValues/edge-secret`, name: "edge-secret", displayName: "edge-secret", secret: true, tags: [], keyVault: { secretIdentifier: "https://kv-edge.vault.azure.net/secrets/edge" } }],
    networkStatus: [
      { location: "West Europe", name: "https://prod3.metrics.azure.com", resourceType: "Metrics", status: "success", isOptional: false },
      { location: "West Europe", name: "apimstvwesteurope.blob.core.windows.net", resourceType: "BlobStorage", status: "failure", isOptional: false, error: "Connection timed out" },
      { location: "West Europe", name: "smtpi-db3.msn.com", resourceType: "Email", status: "failure", isOptional: true },
    ],
  }),
);

const zoned = snap(
  instance("apim-zoned", {
    sku: { name: "Premium", capacity: 3 },
    zones: ["1", "2", "3"],
    virtualNetworkType: "External",
    hostnameConfigurations: [{ type: "Proxy", hostName: "api.fabrikam.com", certificateSource: "KeyVault", certificate: { expiry: days(200), thumbprint: "99", subject: "CN=api.fabrikam.com" } }],
  }),
  config("apim-zoned", {
    namedValues: [{ id: `${serviceId("apim-zoned")}/namedValues/kv-ok`, name: "kv-ok", displayName: "kv-ok", secret: true, tags: [], keyVault: { secretIdentifier: "https://kv-z.vault.azure.net/secrets/ok", lastStatus: { code: "Success" } } }],
    networkStatus: [{ location: "West Europe", name: "apimstvwesteurope.blob.core.windows.net", status: "success", isOptional: false }],
  }),
);

const serverless = snap(instance("apim-serverless", { sku: { name: "Consumption", capacity: 0 }, platformVersion: "mtv1", customProperties: {}, createdAtUtc: "2016-01-01T00:00:00Z" }), config("apim-serverless", { portalRevisions: [] }));

/** A secret value planted in the fixture; no finding, card or page may ever show it. */
export const PLANTED_SECRETS = ["c2lnbmluZy1rZXktZm9yLWJpbGxpbmctMjAyNg==", "YmlsbGluZzpTM2NyZXQh", "aBcD3fGh1jKlMn0pQrStUvWxYz==", "Winter2026!", "q8Z3xW0pN4r7Tb2Kf9Lm1Vc6Ys5Hd3Ja==", "tok_live_4f9a8b7c6d5e", "plain-text-key-123456"];

/** The whole fixture estate. */
export const ESTATE: EstateSnapshot = { collectedAt: NOW.toISOString(), instances: [contoso, legacy, edge, zoned, serverless], failures: [] };

/** The fixture estate with its busy instance copied `copies` times under new names: hundreds of findings. */
export function largeEstate(copies: number): EstateSnapshot {
  const source = JSON.stringify(ESTATE.instances[0]);
  const instances: InstanceSnapshot[] = [];
  for (let k = 1; k <= copies; k++) instances.push(JSON.parse(source.replaceAll("apim-contoso", `apim-contoso-${String(k).padStart(3, "0")}`)) as InstanceSnapshot);
  return { ...ESTATE, instances: [...instances, ...ESTATE.instances.slice(1)] };
}
