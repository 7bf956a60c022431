/**
 * The scenario resolved against the emulator's clock and turned into ARM wire shapes (APIM 2024-05-01,
 * Insights, Log Analytics, Resource Health), ready for the routes to page through.
 */
import { createHash } from "node:crypto";
import { resolveTime, type TimeSpec } from "./relative-time";
import { toCrlf } from "./policy-format";
import { resolveTraffic } from "./traffic";
import type { TelemetryInstance } from "./telemetry-routes";
import type { Scenario, ScenarioDiagnostic, ScenarioInstance, ScenarioNetworkLocation } from "./scenario";

/** A resource in ARM's envelope. */
export interface ArmResource {
  id: string;
  type: string;
  name: string;
  properties: Record<string, unknown>;
  [key: string]: unknown;
}

/** A policy document at one scope, kept raw. */
export interface EstatePolicy {
  id: string;
  type: string;
  raw: string;
}

/** One Activity Log event with its time for filtering. */
export interface EstateEvent {
  at: number;
  resourceId: string;
  resourceGroup: string;
  body: Record<string, unknown>;
}

/** One instance, ready to serve. */
export interface EstateInstance {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  resource: ArmResource;
  /** Service-level collections, keyed by their URL segment in lower case (`subscriptions`, `apis`, ...). */
  collections: Map<string, ArmResource[]>;
  /** Collections under one parent: `apis/<api>/operations`, `apis/<api>/diagnostics`, `products/<p>/apis`, all lower case. */
  children: Map<string, ArmResource[]>;
  /** Policies by scope key: `` (global), `products/<p>`, `apis/<a>`, `apis/<a>/operations/<o>`, lower case. */
  policies: Map<string, EstatePolicy>;
  networkStatus: unknown[];
  diagnosticSettings: ArmResource[];
  health: ArmResource;
  telemetry: TelemetryInstance;
}

/** Everything the emulator serves, resolved at load. */
export interface Estate {
  tenantId: string;
  loadedAt: Date;
  subscriptions: Set<string>;
  /** Display names of the Azure subscriptions. */
  subscriptionNames: Map<string, string>;
  instances: EstateInstance[];
  workspaces: ArmResource[];
  events: EstateEvent[];
}

const DAY = 86_400_000;

/** Resolves a scenario against `now` into wire shapes. */
export function buildEstate(scenario: Scenario, now: Date): Estate {
  const iso = (t: TimeSpec | undefined): string | undefined => (t === undefined ? undefined : resolveTime(t, now).toISOString());
  const workspaces = scenario.workspaces.map((w) => ({
    id: `/subscriptions/${w.subscriptionId}/resourceGroups/${w.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${w.name}`,
    type: "Microsoft.OperationalInsights/workspaces",
    name: w.name,
    location: normalizeLocation(w.location),
    properties: {
      customerId: w.customerId,
      provisioningState: "Succeeded",
      sku: { name: "PerGB2018", lastSkuUpdate: new Date(now.getTime() - 200 * DAY).toUTCString() },
      retentionInDays: 30,
      features: { legacy: 0, searchVersion: 1, enableLogAccessUsingOnlyResourcePermissions: true },
      workspaceCapping: { dailyQuotaGb: -1.0, quotaNextResetTime: new Date(now.getTime() + DAY).toUTCString(), dataIngestionStatus: "RespectQuota" },
      publicNetworkAccessForIngestion: "Enabled",
      publicNetworkAccessForQuery: "Enabled",
      createdDate: new Date(now.getTime() - 400 * DAY).toUTCString(),
      modifiedDate: new Date(now.getTime() - 30 * DAY).toUTCString(),
    },
  }));
  const events: EstateEvent[] = [];
  const instances = scenario.instances.map((inst) => buildInstance(scenario, inst, now, iso, workspaces, events));
  events.sort((a, b) => b.at - a.at);
  return { tenantId: scenario.tenantId, loadedAt: now, subscriptions: new Set(scenario.subscriptions.map((s) => s.id)), subscriptionNames: new Map(scenario.subscriptions.map((s) => [s.id, s.displayName])), instances, workspaces, events };
}

/** `West Europe` → `westeurope`, as Resource Graph and the Insights APIs spell regions. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

function hex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

function guid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function child(serviceId: string, path: string, type: string, name: string, properties: Record<string, unknown>): ArmResource {
  return { id: `${serviceId}/${path}`, type: `Microsoft.ApiManagement/service/${type}`, name, properties };
}

function buildInstance(
  scenario: Scenario,
  inst: ScenarioInstance,
  now: Date,
  iso: (t: TimeSpec | undefined) => string | undefined,
  workspaces: ArmResource[],
  events: EstateEvent[],
): EstateInstance {
  const serviceId = `/subscriptions/${inst.subscriptionId}/resourceGroups/${inst.resourceGroup}/providers/Microsoft.ApiManagement/service/${inst.name}`;
  const host = inst.name.toLowerCase();
  const v2 = /V2$/.test(inst.sku.name);
  const consumption = inst.sku.name === "Consumption";
  const classic = !v2 && !consumption;
  const regionSlug = normalizeLocation(inst.location);

  const hostnameConfigurations: Record<string, unknown>[] = [
    { type: "Proxy", hostName: `${host}.azure-api.net`, negotiateClientCertificate: false, defaultSslBinding: inst.hostnames.every((h) => h.type !== "Proxy" || !h.defaultSslBinding), certificateSource: "BuiltIn" },
  ];
  for (const h of inst.hostnames) {
    const entry: Record<string, unknown> = {
      type: h.type,
      hostName: h.hostName,
      negotiateClientCertificate: h.negotiateClientCertificate ?? false,
      defaultSslBinding: h.defaultSslBinding ?? false,
      certificateSource: h.certificateSource ?? (h.keyVaultId ? "KeyVault" : "Custom"),
    };
    if (h.keyVaultId) entry.keyVaultId = h.keyVaultId;
    if (h.certificate) {
      entry.certificate = {
        expiry: resolveTime(h.certificate.expiry, now).toISOString().replace(".000Z", "+00:00"),
        thumbprint: h.certificate.thumbprint ?? hex(`thumb:${h.hostName}`, 40).toUpperCase(),
        subject: h.certificate.subject ?? `CN=${h.hostName}`,
      };
    }
    hostnameConfigurations.push(entry);
  }

  const identity: Record<string, unknown> = { type: inst.identity };
  if (inst.identity.includes("SystemAssigned")) {
    identity.principalId = guid(`principal:${serviceId}`);
    identity.tenantId = scenario.tenantId;
  }
  if (inst.identity.includes("UserAssigned")) {
    identity.userAssignedIdentities = {
      [`/subscriptions/${inst.subscriptionId}/resourceGroups/${inst.resourceGroup}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-${inst.name}`]: {
        principalId: guid(`uai-principal:${serviceId}`),
        clientId: guid(`uai-client:${serviceId}`),
      },
    };
  }
  const publicIp = (seed: string): string => {
    const h = createHash("sha256").update(seed).digest();
    return `20.${(h[0] ?? 0) % 200 + 20}.${h[1] ?? 0}.${(h[2] ?? 0) % 250 + 2}`;
  };
  const properties: Record<string, unknown> = {
    publisherEmail: inst.publisherEmail,
    publisherName: inst.publisherName,
    notificationSenderEmail: "apimgmt-noreply@mail.windowsazure.com",
    provisioningState: inst.provisioningState,
    targetProvisioningState: inst.targetProvisioningState,
    createdAtUtc: iso(inst.createdAtUtc),
    gatewayUrl: `https://${host}.azure-api.net`,
    developerPortalUrl: consumption ? undefined : `https://${host}.developer.azure-api.net`,
    hostnameConfigurations,
    publicIPAddresses: consumption ? undefined : [publicIp(serviceId)],
    additionalLocations: inst.additionalLocations.map((l) => ({
      location: l.location,
      sku: { name: inst.sku.name, capacity: l.skuCapacity },
      zones: l.zones,
      publicIPAddresses: [publicIp(`${serviceId}:${l.location}`)],
      gatewayRegionalUrl: `https://${host}-${normalizeLocation(l.location)}-01.regional.azure-api.net`,
      disableGateway: false,
      platformVersion: inst.platformVersion ?? "stv2",
    })),
    customProperties: inst.customProperties,
    virtualNetworkType: inst.virtualNetworkType,
    certificates: [],
    disableGateway: false,
    natGatewayState: "Disabled",
    apiVersionConstraint: {},
    publicNetworkAccess: inst.publicNetworkAccess,
    privateEndpointConnections: [],
    platformVersion: inst.platformVersion,
    legacyPortalStatus: classic ? "Disabled" : undefined,
    developerPortalStatus: consumption ? undefined : "Enabled",
  };
  if (classic) {
    properties.portalUrl = `https://${host}.portal.azure-api.net`;
    properties.managementApiUrl = `https://${host}.management.azure-api.net`;
    properties.scmUrl = `https://${host}.scm.azure-api.net`;
  }
  if (inst.sku.name === "Premium") properties.gatewayRegionalUrl = `https://${host}-${regionSlug}-01.regional.azure-api.net`;
  for (const key of Object.keys(properties)) if (properties[key] === undefined) delete properties[key];

  const resource: ArmResource = {
    id: serviceId,
    name: inst.name,
    type: "Microsoft.ApiManagement/service",
    tags: inst.tags,
    location: inst.location,
    etag: `AAAAAA${hex(serviceId, 6)}=`,
    properties,
    sku: { name: inst.sku.name, capacity: inst.sku.capacity },
    identity,
    systemData: {
      createdBy: inst.publisherEmail,
      createdByType: "User",
      createdAt: iso(inst.createdAtUtc),
      lastModifiedBy: inst.publisherEmail,
      lastModifiedByType: "User",
      lastModifiedAt: new Date(now.getTime() - 3 * DAY).toISOString(),
    },
  };
  if (inst.zones.length > 0) resource.zones = inst.zones;

  const collections = new Map<string, ArmResource[]>();
  const children = new Map<string, ArmResource[]>();
  const policies = new Map<string, EstatePolicy>();
  const userId = (name: string): string => `${serviceId}/users/${name}`;
  const loggerId = (name: string): string => `${serviceId}/loggers/${name}`;

  collections.set(
    "users",
    inst.users.map((u) =>
      child(serviceId, `users/${u.name}`, "users", u.name, {
        firstName: u.firstName,
        lastName: u.lastName,
        email: u.email,
        state: u.state,
        registrationDate: iso(u.registrationDate) ?? new Date(now.getTime() - 180 * DAY).toISOString(),
        identities: [{ provider: "Basic", id: u.email }],
      }),
    ),
  );

  collections.set(
    "apiversionsets",
    inst.versionSets.map((v) => ({
      id: `${serviceId}/apiVersionSets/${v.name}`,
      type: "Microsoft.ApiManagement/service/apiVersionSets",
      name: v.name,
      properties: {
        displayName: v.displayName,
        versioningScheme: v.versioningScheme,
        ...(v.description ? { description: v.description } : {}),
        ...(v.versionQueryName ? { versionQueryName: v.versionQueryName } : {}),
        ...(v.versionHeaderName ? { versionHeaderName: v.versionHeaderName } : {}),
      },
    })),
  );

  const diagnosticResource = (d: ScenarioDiagnostic, base: string, type: string): ArmResource => {
    const direction = { headers: d.headers, body: { bytes: d.bodyBytes } };
    return child(serviceId, `${base}diagnostics/${d.name}`, type, d.name, {
      ...(d.alwaysLog ? { alwaysLog: d.alwaysLog } : {}),
      httpCorrelationProtocol: d.name === "applicationinsights" ? "W3C" : undefined,
      logClientIp: d.logClientIp ?? false,
      loggerId: loggerId(d.logger),
      sampling: { samplingType: "fixed", percentage: d.samplingPercentage ?? 100 },
      frontend: { request: direction, response: direction },
      backend: { request: direction, response: direction },
      verbosity: d.verbosity ?? "information",
      operationNameFormat: "Name",
      metrics: d.name === "applicationinsights" ? true : undefined,
    });
  };

  collections.set(
    "apis",
    inst.apis.map((a) => {
      const apiProps: Record<string, unknown> = {
        displayName: a.displayName,
        apiRevision: a.apiRevision,
        description: a.description ?? "",
        subscriptionRequired: a.subscriptionRequired,
        serviceUrl: a.serviceUrl,
        path: a.path,
        protocols: a.protocols,
        authenticationSettings: a.oauth
          ? { oAuth2: { authorizationServerId: a.oauth }, oAuth2AuthenticationSettings: [{ authorizationServerId: a.oauth }], openidAuthenticationSettings: [] }
          : { oAuth2AuthenticationSettings: [], openidAuthenticationSettings: [] },
        subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key", query: "subscription-key" },
        isCurrent: a.isCurrent,
        type: a.type === "http" ? undefined : a.type,
        apiVersion: a.apiVersion,
        apiVersionSetId: a.versionSet ? `${serviceId}/apiVersionSets/${a.versionSet}` : undefined,
      };
      for (const key of Object.keys(apiProps)) if (apiProps[key] === undefined) delete apiProps[key];
      return child(serviceId, `apis/${a.name}`, "apis", a.name, apiProps);
    }),
  );
  for (const a of inst.apis) {
    const key = a.name.toLowerCase();
    children.set(
      `apis/${key}/operations`,
      a.operations.map((o) =>
        child(serviceId, `apis/${a.name}/operations/${o.name}`, "apis/operations", o.name, {
          displayName: o.displayName,
          method: o.method,
          urlTemplate: o.urlTemplate,
          templateParameters: [...o.urlTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], type: "string", required: true, values: [] })),
          description: "",
          responses: [],
          policies: null,
        }),
      ),
    );
    children.set(`apis/${key}/diagnostics`, a.diagnostics.map((d) => diagnosticResource(d, `apis/${a.name}/`, "apis/diagnostics")));
    if (a.policy) policies.set(`apis/${key}`, { id: `${serviceId}/apis/${a.name}/policies/policy`, type: "Microsoft.ApiManagement/service/apis/policies", raw: toCrlf(a.policy) });
    for (const o of a.operations) {
      if (o.policy) {
        policies.set(`apis/${key}/operations/${o.name.toLowerCase()}`, {
          id: `${serviceId}/apis/${a.name}/operations/${o.name}/policies/policy`,
          type: "Microsoft.ApiManagement/service/apis/operations/policies",
          raw: toCrlf(o.policy),
        });
      }
    }
  }

  const apiByName = new Map((collections.get("apis") ?? []).map((r) => [r.name.toLowerCase(), r]));
  collections.set(
    "products",
    inst.products.map((p) =>
      child(serviceId, `products/${p.name}`, "products", p.name, {
        displayName: p.displayName,
        description: p.description ?? "",
        ...(p.terms ? { terms: p.terms } : {}),
        subscriptionRequired: p.subscriptionRequired,
        ...(p.subscriptionRequired ? { approvalRequired: p.approvalRequired ?? false } : {}),
        ...(p.subscriptionsLimit !== undefined ? { subscriptionsLimit: p.subscriptionsLimit } : {}),
        state: p.state,
      }),
    ),
  );
  for (const p of inst.products) {
    children.set(
      `products/${p.name.toLowerCase()}/apis`,
      p.apis.map((name) => {
        const api = apiByName.get(name.toLowerCase());
        return {
          id: `${serviceId}/products/${p.name}/apis/${api?.name ?? name}`,
          type: "Microsoft.ApiManagement/service/products/apis",
          name: api?.name ?? name,
          properties: { ...(api?.properties ?? {}) },
        };
      }),
    );
    if (p.policy) policies.set(`products/${p.name.toLowerCase()}`, { id: `${serviceId}/products/${p.name}/policies/policy`, type: "Microsoft.ApiManagement/service/products/policies", raw: toCrlf(p.policy) });
  }
  policies.set("", { id: `${serviceId}/policies/policy`, type: "Microsoft.ApiManagement/service/policies", raw: toCrlf(inst.policy ?? DEFAULT_GLOBAL_POLICY) });

  collections.set(
    "subscriptions",
    inst.subscriptions.map((s) => {
      const props: Record<string, unknown> = {
        ownerId: s.owner ? userId(s.owner) : undefined,
        scope: `${serviceId}${s.scope}`,
        displayName: s.displayName,
        state: s.state,
        createdDate: iso(s.createdDate) ?? new Date(now.getTime() - 120 * DAY).toISOString(),
        startDate: iso(s.startDate),
        expirationDate: iso(s.expirationDate),
        endDate: iso(s.endDate),
        notificationDate: iso(s.notificationDate),
        allowTracing: s.allowTracing ?? false,
      };
      for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
      return child(serviceId, `subscriptions/${s.name}`, "subscriptions", s.name, props);
    }),
  );

  collections.set(
    "backends",
    inst.backends.map((b) => {
      const props: Record<string, unknown> = {
        description: b.description,
        url: b.url,
        protocol: b.protocol,
        resourceId: b.resourceId,
        type: "Single",
      };
      if (b.validateCertificateChain !== undefined || b.validateCertificateName !== undefined) {
        props.tls = { validateCertificateChain: b.validateCertificateChain ?? true, validateCertificateName: b.validateCertificateName ?? true };
      }
      if (b.credentials) props.credentials = { header: b.credentials.header ?? {}, query: b.credentials.query ?? {}, ...(b.credentials.authorization ? { authorization: b.credentials.authorization } : {}) };
      if (b.circuitBreaker) {
        props.circuitBreaker = {
          rules: [
            {
              name: "backend-5xx-breaker",
              failureCondition: { count: 5, interval: "PT1M", statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ["Server errors"] },
              tripDuration: "PT1M",
              acceptRetryAfter: true,
            },
          ],
        };
      }
      for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
      return child(serviceId, `backends/${b.name}`, "backends", b.name, props);
    }),
  );

  collections.set(
    "namedvalues",
    inst.namedValues.map((n) => {
      const props: Record<string, unknown> = { displayName: n.displayName, tags: n.tags, secret: n.secret };
      // Secret values are only readable through listValue, which the emulator refuses like a Reader would be.
      if (!n.secret && n.value !== undefined) props.value = n.value;
      if (n.keyVault) {
        props.keyVault = {
          secretIdentifier: n.keyVault.secretIdentifier,
          ...(n.keyVault.identityClientId ? { identityClientId: n.keyVault.identityClientId } : {}),
          lastStatus: n.keyVault.lastStatus
            ? {
                code: n.keyVault.lastStatus.code,
                ...(n.keyVault.lastStatus.message ? { message: n.keyVault.lastStatus.message } : {}),
                timeStampUtc: iso(n.keyVault.lastStatus.time) ?? new Date(now.getTime() - 3_600_000).toISOString(),
              }
            : { code: "Success", timeStampUtc: new Date(now.getTime() - 3_600_000).toISOString() },
        };
      }
      return child(serviceId, `namedValues/${n.name}`, "namedValues", n.name, props);
    }),
  );

  collections.set("diagnostics", inst.diagnostics.map((d) => diagnosticResource(d, "", "diagnostics")));

  collections.set(
    "loggers",
    inst.loggers.map((l) => {
      const props: Record<string, unknown> = { loggerType: l.loggerType, description: l.description, resourceId: l.resourceId, isBuffered: l.isBuffered ?? true };
      // ARM shows logger credentials only as references to hidden named values.
      if (l.loggerType === "applicationInsights") props.credentials = { instrumentationKey: `{{Logger-Credentials--${hex(`logger:${l.name}`, 24)}}}` };
      if (l.loggerType === "azureEventHub") props.credentials = { name: l.name, connectionString: `{{Logger-Credentials--${hex(`logger:${l.name}`, 24)}}}` };
      for (const key of Object.keys(props)) if (props[key] === undefined) delete props[key];
      return child(serviceId, `loggers/${l.name}`, "loggers", l.name, props);
    }),
  );

  collections.set(
    "portalrevisions",
    inst.portalRevisions.map((p) =>
      child(serviceId, `portalRevisions/${p.name}`, "portalRevisions", p.name, {
        description: p.description ?? "",
        statusDetails: p.statusDetails ?? null,
        status: p.status,
        isCurrent: p.isCurrent,
        createdDateTime: iso(p.created) ?? new Date(now.getTime() - 30 * DAY).toISOString(),
        updatedDateTime: iso(p.updated) ?? iso(p.created) ?? new Date(now.getTime() - 30 * DAY).toISOString(),
      }),
    ),
  );

  collections.set(
    "gateways",
    inst.gateways.map((g) => child(serviceId, `gateways/${g.name}`, "gateways", g.name, { description: g.description ?? "", locationData: { name: g.location ?? "on-premises" } })),
  );

  collections.set(
    "certificates",
    inst.certificates.map((c) =>
      child(serviceId, `certificates/${c.name}`, "certificates", c.name, {
        subject: c.subject,
        thumbprint: c.thumbprint ?? hex(`cert:${serviceId}:${c.name}`, 40).toUpperCase(),
        expirationDate: iso(c.expirationDate),
        ...(c.keyVaultSecretId ? { keyVault: { secretIdentifier: c.keyVaultSecretId, lastStatus: { code: "Success", timeStampUtc: new Date(now.getTime() - 3_600_000).toISOString() } } } : {}),
      }),
    ),
  );

  const regions = [inst.location, ...inst.additionalLocations.map((l) => l.location)];
  const networkStatus = (inst.networkStatus ?? regions.map((location): ScenarioNetworkLocation => ({ location, dnsServers: ["168.63.129.16"], dependencies: defaultDependencies(inst.name, location) }))).map((n) => ({
    location: n.location,
    networkStatus: {
      dnsServers: n.dnsServers,
      connectivityStatus: n.dependencies.map((d) => {
        const updated = iso(d.lastUpdated) ?? new Date(now.getTime() - 5 * 60_000).toISOString();
        return {
          name: d.name,
          status: d.status,
          error: d.error ?? "",
          lastUpdated: updated,
          lastStatusChange: new Date(Date.parse(updated) - 2 * DAY).toISOString(),
          resourceType: d.resourceType ?? "",
          isOptional: d.isOptional,
        };
      }),
    },
  }));

  const diagnosticSettings: ArmResource[] = inst.diagnosticSettings.map((d) => {
    const ws = workspaces.find((w) => w.name.toLowerCase() === d.workspace.toLowerCase());
    const retention = { enabled: false, days: 0 };
    const props: Record<string, unknown> = {
      storageAccountId: null,
      serviceBusRuleId: null,
      workspaceId: ws?.id,
      eventHubAuthorizationRuleId: null,
      eventHubName: null,
      metrics: [{ category: "AllMetrics", enabled: true, retentionPolicy: retention }],
      logs: d.categories.map((category) => ({ category, categoryGroup: null, enabled: true, retentionPolicy: retention })),
    };
    if (d.destinationType === "Dedicated") props.logAnalyticsDestinationType = "Dedicated";
    return {
      id: `${serviceId.toLowerCase()}/providers/microsoft.insights/diagnosticSettings/${d.name}`,
      type: "Microsoft.Insights/diagnosticSettings",
      name: d.name,
      properties: props,
    };
  });

  const h = inst.health;
  const healthState = h?.availabilityState ?? "Available";
  const health: ArmResource = {
    id: `${serviceId}/providers/Microsoft.ResourceHealth/availabilityStatuses/current`,
    name: "current",
    type: "Microsoft.ResourceHealth/AvailabilityStatuses",
    location: normalizeLocation(inst.location),
    properties: {
      availabilityState: healthState,
      title: healthState === "Available" ? "Available" : healthState === "Degraded" ? "Degraded" : healthState === "Unavailable" ? "Unavailable" : "Unknown",
      summary: h?.summary ?? (healthState === "Available" ? "There aren't any known Azure platform problems affecting this resource." : "We're sorry, your API Management service is experiencing problems."),
      reasonType: h?.reasonType ?? "",
      detailedStatus: h?.detailedStatus ?? "",
      reasonChronicity: healthState === "Available" ? "Persistent" : "Transient",
      category: healthState === "Available" ? "Not Applicable" : "Unplanned",
      context: healthState === "Available" ? "Not Applicable" : "Platform Initiated",
      occuredTime: iso(h?.occurredTime) ?? new Date(now.getTime() - 7 * DAY).toISOString(),
      reportedTime: now.toISOString(),
    },
  };

  for (const [i, a] of inst.activity.entries()) {
    const at = resolveTime(a.time, now).getTime();
    const correlationId = a.correlationId ?? guid(`corr:${serviceId}:${a.operationName}:${i}`);
    const eventDataId = guid(`event:${serviceId}:${i}`);
    const failed = a.status === "Failed";
    const ticks = BigInt(at) * 10_000n + 621_355_968_000_000_000n;
    const eventProperties: Record<string, unknown> = {
      eventCategory: "Administrative",
      entity: serviceId,
      message: a.operationName,
      hierarchy: `${scenario.tenantId}/${inst.subscriptionId}`,
    };
    if (failed) {
      eventProperties.statusCode = "BadRequest";
      eventProperties.statusMessage = JSON.stringify({ error: { code: a.errorCode ?? "ActivationFailed", message: a.errorMessage ?? "The API Management service activation failed." } });
    } else if (a.status === "Succeeded") {
      eventProperties.statusCode = "OK";
    } else if (a.status === "Accepted") {
      eventProperties.statusCode = "Accepted";
    }
    events.push({
      at,
      resourceId: serviceId,
      resourceGroup: inst.resourceGroup,
      body: {
        authorization: { action: a.operationName, scope: serviceId },
        caller: a.caller ?? inst.publisherEmail,
        channels: "Operation",
        claims: {},
        correlationId,
        description: "",
        eventDataId,
        eventName: { value: a.status === "Started" ? "BeginRequest" : "EndRequest", localizedValue: a.status === "Started" ? "Begin request" : "End request" },
        category: { value: "Administrative", localizedValue: "Administrative" },
        id: `${serviceId}/events/${eventDataId}/ticks/${ticks}`,
        level: failed ? "Error" : "Informational",
        resourceGroupName: inst.resourceGroup,
        resourceProviderName: { value: "Microsoft.ApiManagement", localizedValue: "Microsoft.ApiManagement" },
        resourceId: serviceId,
        resourceType: { value: "Microsoft.ApiManagement/service", localizedValue: "Microsoft.ApiManagement/service" },
        operationId: guid(`op:${serviceId}:${a.operationName}:${correlationId}`),
        operationName: { value: a.operationName, localizedValue: operationTitle(a.operationName) },
        properties: eventProperties,
        status: { value: a.status, localizedValue: a.status },
        subStatus: a.subStatus ? { value: a.subStatus, localizedValue: a.subStatus } : { value: "", localizedValue: "" },
        eventTimestamp: new Date(at).toISOString(),
        submissionTimestamp: new Date(at + 12_000).toISOString(),
        subscriptionId: inst.subscriptionId,
        tenantId: scenario.tenantId,
      },
    });
  }

  const dedicated = inst.diagnosticSettings.find((d) => d.categories.some((c) => /gateway/i.test(c))) ?? inst.diagnosticSettings[0];
  const ws = dedicated ? workspaces.find((w) => w.name.toLowerCase() === dedicated.workspace.toLowerCase()) : undefined;
  const telemetry: TelemetryInstance = {
    id: serviceId,
    name: inst.name,
    subscriptionId: inst.subscriptionId,
    location: inst.location,
    // Incident times are relative to the emulator's clock at load.
    apis: inst.apis.map((a) => ({ name: a.name, ...(a.traffic !== undefined ? { traffic: resolveTraffic(a.traffic, now) } : {}) })),
    ...(dedicated && ws
      ? { workspace: { customerId: String(ws.properties.customerId), resourceId: ws.id, table: dedicated.destinationType === "Dedicated" ? "ApiManagementGatewayLogs" : "AzureDiagnostics" } }
      : {}),
  };

  return {
    id: serviceId,
    name: inst.name,
    subscriptionId: inst.subscriptionId,
    resourceGroup: inst.resourceGroup,
    location: inst.location,
    resource,
    collections,
    children,
    policies,
    networkStatus,
    diagnosticSettings,
    health,
    telemetry,
  };
}

function operationTitle(op: string): string {
  if (/service\/write$/i.test(op)) return "Create or Update API Management Service";
  if (/service\/delete$/i.test(op)) return "Delete API Management Service";
  if (/applynetworkconfigurationupdates/i.test(op)) return "Apply Network Configuration Updates";
  return op;
}

function defaultDependencies(name: string, location: string): { name: string; resourceType: string; status: string; isOptional: boolean }[] {
  const slug = normalizeLocation(location);
  const store = `apimst${hex(`${name}:${slug}`, 12)}`;
  return [
    { name: `${store}.blob.core.windows.net`, resourceType: "BlobStorage", status: "success", isOptional: false },
    { name: `${store}.table.core.windows.net`, resourceType: "TableStorage", status: "success", isOptional: false },
    { name: `${slug}-sql.database.windows.net`, resourceType: "SQLDatabase", status: "success", isOptional: false },
    { name: "login.microsoftonline.com", resourceType: "AzureActiveDirectory", status: "success", isOptional: true },
    { name: "gcs.prod.monitoring.core.windows.net", resourceType: "Metrics", status: "success", isOptional: false },
    { name: "smtpi-co1.msn.com", resourceType: "Email", status: "success", isOptional: true },
  ];
}

const DEFAULT_GLOBAL_POLICY = `<!--
    IMPORTANT:
    - Policy elements can appear only within the <inbound>, <outbound>, <backend> section elements.
    - Policies are applied in the order of their appearance, from the top down.
-->
<policies>
  <inbound />
  <backend>
    <forward-request />
  </backend>
  <outbound />
  <on-error />
</policies>`;
