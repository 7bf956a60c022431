/**
 * Names the Azure API a request URL belongs to, for the call counts that `sweep --stats` prints:
 * `resourcegraph`, `arm.apim.<collection path>`, `metrics.batch`, `metrics.arm`, `logs.query`,
 * `activitylog`, `health`, `diagnosticsettings`, `workspace`, or `other`.
 */
export function callName(url: string): string {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return "other";
  }
  const lower = path.toLowerCase();
  if (lower.includes("/providers/microsoft.resourcegraph/")) return "resourcegraph";
  if (lower.includes("metrics:getbatch")) return "metrics.batch";
  if (/\/workspaces\/[^/]+\/query$/.test(lower) && !lower.includes("/providers/")) return "logs.query";
  if (lower.includes("/providers/microsoft.insights/eventtypes/management/values")) return "activitylog";
  if (lower.includes("/providers/microsoft.resourcehealth/")) return "health";
  if (lower.includes("/providers/microsoft.insights/diagnosticsettings")) return "diagnosticsettings";
  if (lower.includes("/providers/microsoft.insights/metrics")) return "metrics.arm";
  if (lower.includes("/providers/microsoft.operationalinsights/workspaces/")) return "workspace";
  const apim = /\/providers\/microsoft\.apimanagement\/service(?:\/[^/]+((?:\/[^/]+)*))?\/?$/.exec(lower);
  if (apim) {
    const rest = (apim[1] ?? "").split("/").filter((s) => s.length > 0);
    // Collections sit at even positions after the service name: apis/{id}/operations/{id}/policies.
    const collections = rest.filter((_, i) => i % 2 === 0);
    return collections.length === 0 ? "arm.apim.service" : `arm.apim.${collections.join(".")}`;
  }
  return "other";
}
