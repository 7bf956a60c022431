import type {
  ApiContract,
  ApiVersionSetContract,
  BackendContract,
  CertificateContract,
  DiagnosticContract,
  GatewayContract,
  LoggerContract,
  NamedValueContract,
  NetworkStatusContractByLocation,
  OperationContract,
  PortalRevisionContract,
  ProductContract,
  SubscriptionContract as SdkSubscription,
  UserContract,
} from "@azure/arm-apimanagement";
import {
  lastSegment,
  type ApiInfo,
  type BackendInfo,
  type CertificateInfo,
  type DiagnosticInfo,
  type GatewayInfo,
  type LoggerInfo,
  type NamedValueInfo,
  type NetworkDependency,
  type OperationInfo,
  type PolicyDoc,
  type PolicyScope,
  type PortalRevisionInfo,
  type ProductInfo,
  type SubscriptionContract,
  type UserInfo,
  type VersionSetInfo,
} from "../domain/snapshot";
import { isoOf } from "./map-service-instance";

/** Sets `key` on `target` only when `value` is a non-empty string, so absent stays absent. */
function put<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (typeof value === "string" && value.length > 0) (target as Record<keyof T, unknown>)[key] = value;
}

function nameOf(r: { id?: string; name?: string }): string {
  return r.name ?? (r.id ? lastSegment(r.id) : "");
}

/** SDK API contract → {@link ApiInfo}. */
export function fromSdkApi(a: ApiContract): ApiInfo {
  const api: ApiInfo = {
    id: a.id ?? "",
    name: nameOf(a),
    displayName: a.displayName ?? nameOf(a),
    path: a.path ?? "",
    protocols: a.protocols ?? [],
    subscriptionRequired: a.subscriptionRequired ?? true,
    isCurrent: a.isCurrent ?? true,
    hasAuthenticationSettings: Boolean(
      a.authenticationSettings &&
        (a.authenticationSettings.oAuth2 || a.authenticationSettings.openid || (a.authenticationSettings.oAuth2AuthenticationSettings?.length ?? 0) > 0 || (a.authenticationSettings.openidAuthenticationSettings?.length ?? 0) > 0),
    ),
  };
  put(api, "serviceUrl", a.serviceUrl);
  put(api, "description", a.description);
  put(api, "apiVersion", a.apiVersion);
  put(api, "apiVersionSetId", a.apiVersionSetId);
  put(api, "apiRevision", a.apiRevision);
  put(api, "type", a.apiType);
  return api;
}

/** SDK operation contract → {@link OperationInfo}. */
export function fromSdkOperation(o: OperationContract, apiName: string): OperationInfo {
  return { id: o.id ?? "", apiName, name: nameOf(o), displayName: o.displayName ?? nameOf(o), method: o.method ?? "", urlTemplate: o.urlTemplate ?? "" };
}

/** SDK product contract plus its API names → {@link ProductInfo}. */
export function fromSdkProduct(p: ProductContract, apiNames: string[]): ProductInfo {
  const product: ProductInfo = {
    id: p.id ?? "",
    name: nameOf(p),
    displayName: p.displayName ?? nameOf(p),
    state: p.state ?? "notPublished",
    subscriptionRequired: p.subscriptionRequired ?? true,
    approvalRequired: p.approvalRequired ?? false,
    apiNames,
  };
  put(product, "description", p.description);
  put(product, "terms", p.terms);
  if (typeof p.subscriptionsLimit === "number") product.subscriptionsLimit = p.subscriptionsLimit;
  return product;
}

/** SDK backend → {@link BackendInfo}; credential values are reduced to whether any exist. */
export function fromSdkBackend(b: BackendContract): BackendInfo {
  const c = b.credentials;
  const backend: BackendInfo = {
    id: b.id ?? "",
    name: nameOf(b),
    url: b.url ?? "",
    protocol: b.protocol ?? "",
    hasCredentials: Boolean(
      c &&
        (Object.keys(c.header ?? {}).length > 0 ||
          Object.keys(c.query ?? {}).length > 0 ||
          (c.certificate?.length ?? 0) > 0 ||
          (c.certificateIds?.length ?? 0) > 0 ||
          c.authorization !== undefined),
    ),
    hasCircuitBreaker: (b.circuitBreaker?.rules?.length ?? 0) > 0,
  };
  put(backend, "description", b.description);
  put(backend, "resourceId", b.resourceId);
  if (typeof b.tls?.validateCertificateChain === "boolean") backend.validateCertificateChain = b.tls.validateCertificateChain;
  if (typeof b.tls?.validateCertificateName === "boolean") backend.validateCertificateName = b.tls.validateCertificateName;
  return backend;
}

/** SDK named value → {@link NamedValueInfo}; a secret's value is dropped even if the service sent one. */
export function fromSdkNamedValue(n: NamedValueContract): NamedValueInfo {
  const secret = n.secret ?? false;
  const nv: NamedValueInfo = { id: n.id ?? "", name: nameOf(n), displayName: n.displayName ?? nameOf(n), secret, tags: n.tags ?? [] };
  if (!secret && !n.keyVault && typeof n.value === "string") nv.value = n.value;
  if (n.keyVault) {
    const kv: NonNullable<NamedValueInfo["keyVault"]> = {};
    put(kv, "secretIdentifier", n.keyVault.secretIdentifier);
    put(kv, "identityClientId", n.keyVault.identityClientId);
    if (n.keyVault.lastStatus) {
      const s: NonNullable<NonNullable<NamedValueInfo["keyVault"]>["lastStatus"]> = {};
      put(s, "code", n.keyVault.lastStatus.code);
      put(s, "message", n.keyVault.lastStatus.message);
      put(s, "timeStampUtc", isoOf(n.keyVault.lastStatus.timeStampUtc));
      kv.lastStatus = s;
    }
    nv.keyVault = kv;
  }
  return nv;
}

/** SDK diagnostic → {@link DiagnosticInfo}, at service scope or for one API. */
export function fromSdkDiagnostic(d: DiagnosticContract, apiName?: string): DiagnosticInfo {
  const headersLogged: Record<string, string[]> = {};
  const bodyBytes: Record<string, number> = {};
  for (const [side, settings] of [["frontend", d.frontend], ["backend", d.backend]] as const) {
    for (const [dir, msg] of [["request", settings?.request], ["response", settings?.response]] as const) {
      const key = `${side}.${dir}`;
      if (msg?.headers && msg.headers.length > 0) headersLogged[key] = msg.headers;
      bodyBytes[key] = msg?.body?.bytes ?? 0;
    }
  }
  const diag: DiagnosticInfo = { id: d.id ?? "", name: nameOf(d), headersLogged, bodyBytes };
  if (apiName) diag.apiName = apiName;
  put(diag, "loggerId", d.loggerId);
  put(diag, "alwaysLog", d.alwaysLog);
  put(diag, "samplingType", d.sampling?.samplingType);
  put(diag, "verbosity", d.verbosity);
  if (typeof d.sampling?.percentage === "number") diag.samplingPercentage = d.sampling.percentage;
  if (typeof d.logClientIp === "boolean") diag.logClientIp = d.logClientIp;
  return diag;
}

/** SDK logger → {@link LoggerInfo}; its credentials (instrumentation keys, connection strings) are never kept. */
export function fromSdkLogger(l: LoggerContract): LoggerInfo {
  const logger: LoggerInfo = { id: l.id ?? "", name: nameOf(l), loggerType: l.loggerType ?? "" };
  put(logger, "resourceId", l.resourceId);
  if (typeof l.isBuffered === "boolean") logger.isBuffered = l.isBuffered;
  return logger;
}

/** SDK portal revision → {@link PortalRevisionInfo}. */
export function fromSdkPortalRevision(r: PortalRevisionContract): PortalRevisionInfo {
  const rev: PortalRevisionInfo = { id: r.id ?? "", name: nameOf(r), status: r.status ?? "", isCurrent: r.isCurrent ?? false };
  put(rev, "createdDateTime", isoOf(r.createdDateTime));
  put(rev, "updatedDateTime", isoOf(r.updatedDateTime));
  put(rev, "statusDetails", r.statusDetails);
  return rev;
}

/** SDK self-hosted gateway → {@link GatewayInfo}. */
export function fromSdkGateway(g: GatewayContract): GatewayInfo {
  const gw: GatewayInfo = { id: g.id ?? "", name: nameOf(g) };
  put(gw, "description", g.description);
  put(gw, "location", g.locationData?.name);
  return gw;
}

/** SDK certificate → {@link CertificateInfo}. */
export function fromSdkCertificate(c: CertificateContract): CertificateInfo {
  const cert: CertificateInfo = { id: c.id ?? "", name: nameOf(c), subject: c.subject ?? "", thumbprint: c.thumbprint ?? "", expirationDate: isoOf(c.expirationDate) ?? "" };
  put(cert, "keyVaultSecretId", c.keyVault?.secretIdentifier);
  return cert;
}

/** SDK version set → {@link VersionSetInfo}. */
export function fromSdkVersionSet(v: ApiVersionSetContract): VersionSetInfo {
  return { id: v.id ?? "", name: nameOf(v), displayName: v.displayName ?? nameOf(v), versioningScheme: v.versioningScheme ?? "" };
}

/** SDK network status (per location) → one {@link NetworkDependency} per dependency. */
export function fromSdkNetworkStatus(list: NetworkStatusContractByLocation[]): NetworkDependency[] {
  return list.flatMap((byLocation) =>
    (byLocation.networkStatus?.connectivityStatus ?? []).map((c) => {
      const dep: NetworkDependency = { location: byLocation.location ?? "", name: c.name, status: c.status ?? "", isOptional: c.isOptional ?? false };
      put(dep, "resourceType", c.resourceType);
      put(dep, "error", c.error);
      put(dep, "lastUpdated", isoOf(c.lastUpdated));
      return dep;
    }),
  );
}

/** SDK user → {@link UserInfo}. */
export function fromSdkUser(u: UserContract): UserInfo {
  const user: UserInfo = { id: u.id ?? "", name: nameOf(u) };
  put(user, "email", u.email);
  put(user, "firstName", u.firstName);
  put(user, "lastName", u.lastName);
  put(user, "state", u.state);
  return user;
}

/** Splits a subscription's scope (`/apis`, `/apis/x`, `/products/y`, or fully qualified) into kind and name. */
export function parseSubscriptionScope(scope: string): Pick<SubscriptionContract, "scopeKind" | "scopeName"> {
  const m = /\/(apis|products)(?:\/([^/]+))?\/?$/i.exec(scope);
  if (!m) return { scopeKind: "unknown" };
  const kind = (m[1] ?? "").toLowerCase();
  if (kind === "apis") return m[2] ? { scopeKind: "api", scopeName: m[2] } : { scopeKind: "all-apis" };
  return m[2] ? { scopeKind: "product", scopeName: m[2] } : { scopeKind: "unknown" };
}

/** SDK subscription contract → {@link SubscriptionContract}; keys are never copied. Owner details come from `users`. */
export function fromSdkSubscription(s: SdkSubscription, users: ReadonlyMap<string, UserInfo>): SubscriptionContract {
  const scope = s.scope ?? "";
  const sub: SubscriptionContract = { id: s.id ?? "", name: nameOf(s), state: s.state ?? "", scope, ...parseSubscriptionScope(scope) };
  if (sub.scopeName === undefined) delete sub.scopeName;
  put(sub, "displayName", s.displayName);
  if (s.ownerId) {
    sub.ownerId = s.ownerId;
    const owner = users.get(lastSegment(s.ownerId).toLowerCase());
    if (owner) {
      const full = [owner.firstName, owner.lastName].filter(Boolean).join(" ");
      put(sub, "ownerName", full || owner.name);
      put(sub, "ownerEmail", owner.email);
    }
  }
  put(sub, "createdDate", isoOf(s.createdDate));
  put(sub, "startDate", isoOf(s.startDate));
  put(sub, "expirationDate", isoOf(s.expirationDate));
  put(sub, "endDate", isoOf(s.endDate));
  put(sub, "notificationDate", isoOf(s.notificationDate));
  if (typeof s.allowTracing === "boolean") sub.allowTracing = s.allowTracing;
  return sub;
}

const ENTITIES: Record<string, string> = { "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&amp;": "&" };

/** Decodes XML character and entity references (`&lt;`, `&#x9;`, ...). */
export function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (m: string) => {
    if (m.startsWith("&#x")) return String.fromCodePoint(parseInt(m.slice(3, -1), 16));
    if (m.startsWith("&#")) return String.fromCodePoint(parseInt(m.slice(2, -1), 10));
    return ENTITIES[m] ?? m;
  });
}

/** Where a policy document sits. */
export interface PolicyLocation {
  scope: PolicyScope;
  productName?: string;
  apiName?: string;
  operationName?: string;
}

/**
 * A policy resource body (`{ id, properties: { format, value } }`) → {@link PolicyDoc}. A document that
 * came back escaped as a whole (`&lt;policies&gt;`) is unescaped; otherwise the text is kept as sent.
 * Returns undefined when the body carries no policy text.
 */
export function fromPolicyBody(body: unknown, where: PolicyLocation, fallbackId: string): PolicyDoc | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const b = body as { id?: unknown; properties?: { value?: unknown; format?: unknown } };
  const value = b.properties?.value;
  if (typeof value !== "string" || value.trim().length === 0) return undefined;
  const declared = typeof b.properties?.format === "string" ? b.properties.format.toLowerCase() : "xml";
  const escapedWhole = !value.includes("<") && value.includes("&lt;");
  const doc: PolicyDoc = {
    id: typeof b.id === "string" ? b.id : fallbackId,
    scope: where.scope,
    xml: escapedWhole ? unescapeXml(value) : value,
    format: declared === "rawxml" ? "rawxml" : "xml",
  };
  if (where.productName) doc.productName = where.productName;
  if (where.apiName) doc.apiName = where.apiName;
  if (where.operationName) doc.operationName = where.operationName;
  return doc;
}
