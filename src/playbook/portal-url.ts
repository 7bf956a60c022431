/**
 * Azure portal deep links. The portal opens any ARM resource at `#@/resource{id}`; a trailing menu id
 * selects the blade. Only menu ids seen working on API Management are listed here.
 */

/** Blades (portal menu ids) apimbot links to. */
export const PORTAL_BLADES = {
  overview: "overview",
  activityLog: "activitylog",
  resourceHealth: "resourcehealth",
  accessControl: "users",
  apis: "apim-apis",
  products: "apim-products",
  subscriptions: "apim-subscriptions",
  metrics: "metrics",
  logs: "logs",
} as const;

/** A portal blade name from {@link PORTAL_BLADES}. */
export type PortalBlade = keyof typeof PORTAL_BLADES;

/** `https://portal.azure.com/#@/resource<id>/<blade>` for an ARM resource id. */
export function portalUrl(resourceId: string, blade: PortalBlade = "overview"): string {
  const id = resourceId.startsWith("/") ? resourceId : `/${resourceId}`;
  return `https://portal.azure.com/#@/resource${id.replace(/\/+$/, "")}/${PORTAL_BLADES[blade]}`;
}
