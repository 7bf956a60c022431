/**
 * Helpers and thresholds shared by the diagnostic and instance rules.
 */
import type { DiagnosticInfo, InstanceSnapshot, ServiceInstance } from "../../domain/snapshot";
import type { RuleHit } from "../rule";

/** Prefix of the protocol and cipher switches in `customProperties`. */
export const GATEWAY_SECURITY = "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.";

/** Days before expiry from which a hostname certificate is reported. */
export const CERTIFICATE_EXPIRY_DAYS = 30;
/** Sampling below this percentage hides errors unless every error is logged anyway. */
export const MIN_SAMPLING_PERCENT = 5;

/** Protocol switches in `customProperties`, with the name people know them by. */
export const PROTOCOL_KEYS: [string, string][] = [
  ["Protocols.Tls10", "TLS 1.0 (client side)"],
  ["Protocols.Tls11", "TLS 1.1 (client side)"],
  ["Protocols.Ssl30", "SSL 3.0 (client side)"],
  ["Backend.Protocols.Tls10", "TLS 1.0 (backend side)"],
  ["Backend.Protocols.Tls11", "TLS 1.1 (backend side)"],
  ["Backend.Protocols.Ssl30", "SSL 3.0 (backend side)"],
];

/** Cipher switches for suites considered weak. */
export const WEAK_CIPHERS = [
  "TripleDes168",
  "TLS_RSA_WITH_AES_128_CBC_SHA",
  "TLS_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_128_CBC_SHA256",
  "TLS_RSA_WITH_AES_256_CBC_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
  "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
  "TLS_RSA_WITH_AES_128_GCM_SHA256",
];

/** Tiers whose protocol and cipher settings cannot be changed, so a finding would be unactionable. */
export const FIXED_TLS_TIERS = ["Consumption", "BasicV2", "StandardV2", "PremiumV2"];

/** Services created before this instant (on or before 1 April 2018) had the legacy protocols and 3DES on unless switched off. */
export const LEGACY_DEFAULT_CUTOFF = Date.parse("2018-04-02T00:00:00Z");

/** A hit on the instance itself. */
export function instanceHit(i: ServiceInstance, message: string, details?: Record<string, unknown>): RuleHit {
  return { resourceId: i.id, scope: `instance ${i.name}`, message, ...(details !== undefined ? { details } : {}) };
}

/** Reads a customProperties switch: `"True"`/`"true"` on, `"False"`/`"false"` off, absent → the default. */
export function switchOn(i: ServiceInstance, key: string): boolean {
  const found = Object.entries(i.customProperties).find(([k]) => k.toLowerCase() === (GATEWAY_SECURITY + key).toLowerCase());
  if (found !== undefined) return found[1].trim().toLowerCase() === "true";
  const created = i.createdAtUtc === undefined ? NaN : Date.parse(i.createdAtUtc);
  return !Number.isNaN(created) && created < LEGACY_DEFAULT_CUTOFF;
}

/** Production by tag (`env`, `environment`, `stage`), else by tier: Developer and Consumption are not. */
export function isProduction(i: ServiceInstance): boolean {
  const env = Object.entries(i.tags).find(([k]) => /^(env|environment|stage)$/i.test(k))?.[1]?.toLowerCase();
  if (env !== undefined) return /^(prod|production|prd|live)$/.test(env);
  return !["Developer", "Consumption"].includes(String(i.sku.name));
}

/** Diagnostics at the all-APIs scope. */
export function serviceDiagnostics(s: InstanceSnapshot): DiagnosticInfo[] {
  return (s.config?.diagnostics ?? []).filter((d) => d.apiName === undefined);
}
