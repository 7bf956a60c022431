import type { ApiManagementServiceResource } from "@azure/arm-apimanagement";
import type { HostnameConfiguration, ServiceInstance } from "../domain/snapshot";

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** An ISO 8601 string from a Date or a string, or undefined when it is missing or not a time. */
export function isoOf(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === "string" && v.length > 0) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : new Date(t).toISOString();
  }
  return undefined;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) if (val !== null && val !== undefined) out[k] = String(val);
  return out;
}

function parseArmId(id: string): { subscriptionId: string; resourceGroup: string } {
  const m = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(id);
  return { subscriptionId: m?.[1] ?? "", resourceGroup: m?.[2] ?? "" };
}

function hostname(raw: Json): HostnameConfiguration {
  const cert = obj(raw.certificate);
  const h: HostnameConfiguration = { type: str(raw.type) ?? "", hostName: str(raw.hostName) ?? "" };
  if (str(raw.keyVaultId)) h.keyVaultId = str(raw.keyVaultId);
  if (str(raw.certificateSource)) h.certificateSource = str(raw.certificateSource);
  if (typeof raw.defaultSslBinding === "boolean") h.defaultSslBinding = raw.defaultSslBinding;
  const expiry = isoOf(cert.expiry);
  if (expiry) h.certificate = { expiry, thumbprint: str(cert.thumbprint) ?? "", subject: str(cert.subject) ?? "" };
  return h;
}

/**
 * Maps an APIM service in ARM's wire shape (a Resource Graph row, or a REST body) to a
 * {@link ServiceInstance}. Returns undefined when the row has no id or name.
 */
export function fromArmService(row: unknown): ServiceInstance | undefined {
  const r = obj(row);
  const id = str(r.id);
  const name = str(r.name);
  if (!id || !name) return undefined;
  const p = obj(r.properties);
  const sku = obj(r.sku);
  const parsed = parseArmId(id);
  const instance: ServiceInstance = {
    id,
    name,
    subscriptionId: str(r.subscriptionId) ?? parsed.subscriptionId,
    resourceGroup: str(r.resourceGroup) ?? parsed.resourceGroup,
    location: str(r.location) ?? "",
    sku: { name: str(sku.name) ?? "", capacity: typeof sku.capacity === "number" ? sku.capacity : Number(sku.capacity ?? 0) || 0 },
    provisioningState: str(p.provisioningState) ?? "",
    targetProvisioningState: str(p.targetProvisioningState) ?? "",
    customProperties: stringMap(p.customProperties),
    hostnameConfigurations: arr(p.hostnameConfigurations).map((h) => hostname(obj(h))),
    identityType: str(obj(r.identity).type) ?? "None",
    zones: arr(r.zones).filter((z): z is string => typeof z === "string"),
    additionalLocations: arr(p.additionalLocations).map((a) => {
      const loc = obj(a);
      const cap = obj(loc.sku).capacity;
      return {
        location: str(loc.location) ?? "",
        zones: arr(loc.zones).filter((z): z is string => typeof z === "string"),
        ...(typeof cap === "number" ? { skuCapacity: cap } : {}),
      };
    }),
    tags: stringMap(r.tags),
  };
  const optional: [keyof ServiceInstance, unknown][] = [
    ["platformVersion", p.platformVersion],
    ["createdAtUtc", isoOf(p.createdAtUtc)],
    ["gatewayUrl", p.gatewayUrl],
    ["developerPortalUrl", p.developerPortalUrl],
    ["virtualNetworkType", p.virtualNetworkType],
    ["publicNetworkAccess", p.publicNetworkAccess],
  ];
  for (const [key, value] of optional) if (typeof value === "string" && value.length > 0) (instance as unknown as Json)[key] = value;
  return instance;
}

/** Maps the SDK's flattened service model back to the wire shape and then to a {@link ServiceInstance}. */
export function fromSdkService(s: ApiManagementServiceResource): ServiceInstance | undefined {
  return fromArmService({
    id: s.id,
    name: s.name,
    location: s.location,
    sku: s.sku,
    identity: s.identity,
    zones: s.zones,
    tags: s.tags,
    properties: {
      provisioningState: s.provisioningState,
      targetProvisioningState: s.targetProvisioningState,
      platformVersion: s.platformVersion,
      createdAtUtc: s.createdAtUtc,
      gatewayUrl: s.gatewayUrl,
      developerPortalUrl: s.developerPortalUrl,
      virtualNetworkType: s.virtualNetworkType,
      publicNetworkAccess: s.publicNetworkAccess,
      customProperties: s.customProperties,
      hostnameConfigurations: s.hostnameConfigurations,
      additionalLocations: s.additionalLocations,
    },
  });
}
