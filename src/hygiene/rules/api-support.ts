/**
 * Helpers shared by the API and product rules.
 */
import type { ApiInfo, InstanceSnapshot } from "../../domain/snapshot";
import type { RuleHit } from "../rule";

/** Hosts that only ever stand in for a real backend. */
export const PLACEHOLDER_HOST = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|(.*\.)?example\.(com|org|net)|tempuri\.org|(.*\.)?contoso\.com|changeme|todo|placeholder)$/i;

/** Policy elements that authenticate the caller. */
export const AUTH_ELEMENT = /<(validate-jwt|validate-azure-ad-token|validate-client-certificate|check-header)\b/;

/** Whether a policy authenticates callers. Read from the raw text so an unparseable policy still counts; comments do not. */
export function authenticates(xml: string): boolean {
  return AUTH_ELEMENT.test(xml.replace(/<!--[\s\S]*?-->/g, ""));
}

/** A hit on an API, named the way people read it. */
export function apiHit(api: ApiInfo, message: string, details?: Record<string, unknown>): RuleHit {
  return { resourceId: api.id, scope: `API ${api.name}`, api: api.name, message, ...(details !== undefined ? { details } : {}) };
}

/** The APIs of an instance, or none when its configuration was not read. */
export function apis(snapshot: InstanceSnapshot): ApiInfo[] {
  return snapshot.config?.apis ?? [];
}

/** `orders-v2` / `/orders/v2` → `orders`: what several versions of one API share. */
export function versionFamily(api: ApiInfo): string {
  return api.path
    .toLowerCase()
    .replace(/(^|[/-])v\d+(\.\d+)?(?=$|\/)/g, "")
    .replace(/(^|\/)\d{4}-\d{2}-\d{2}(?=$|\/)/g, "")
    .replace(/\/+$/, "");
}

/** Whether an API's path or name carries a version (`v2`, `2024-01-01`). */
export function hasVersionMark(api: ApiInfo): boolean {
  return /(^|[/-])v\d+(\.\d+)?($|\/)|(^|\/)\d{4}-\d{2}-\d{2}($|\/)/i.test(api.path) || /\bv\d+(\.\d+)?$/i.test(api.displayName.trim());
}
