import type { DiagnosticSettingsResource } from "@azure/arm-monitor";
import type { LogDestination, ServiceInstance } from "../domain/snapshot";
import type { AzureClients } from "./azure-clients";

const WORKSPACE_API_VERSION = "2022-10-01";

/**
 * The Log Analytics destinations an instance's diagnostic settings send gateway logs to (settings
 * with a workspace and the `GatewayLogs` category or a log category group enabled), without GUIDs yet.
 */
export function destinationsFromSettings(settings: DiagnosticSettingsResource[]): LogDestination[] {
  const out: LogDestination[] = [];
  const seen = new Set<string>();
  for (const s of settings) {
    if (!s.workspaceId) continue;
    const logs = s.logs ?? [];
    // The SDK's model predates category groups and drops `categoryGroup`; an enabled entry with no
    // category is one (allLogs or audit), and both include gateway logs.
    const gatewayLogs = logs.some((l) => l.enabled && (!l.category || l.category.toLowerCase() === "gatewaylogs"));
    if (!gatewayLogs) continue;
    const destinationType = s.logAnalyticsDestinationType?.toLowerCase() === "dedicated" ? "Dedicated" : "AzureDiagnostics";
    const key = `${s.workspaceId.toLowerCase()}|${destinationType}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ workspaceResourceId: s.workspaceId, destinationType });
  }
  return out;
}

/** Reads diagnostic settings and resolves each workspace's GUID (`customerId`), once per workspace per run. */
export async function readLogDestinations(clients: AzureClients, instance: ServiceInstance, workspaceGuids: Map<string, Promise<string | undefined>>): Promise<LogDestination[]> {
  const result = await clients.monitor(instance.subscriptionId).diagnosticSettings.list(instance.id);
  const destinations = destinationsFromSettings(result.value ?? []);
  for (const d of destinations) {
    const key = d.workspaceResourceId.toLowerCase();
    let guid = workspaceGuids.get(key);
    if (!guid) {
      guid = clients.armGet(`${d.workspaceResourceId}?api-version=${WORKSPACE_API_VERSION}`).then((body) => {
        const id = (body as { properties?: { customerId?: unknown } } | undefined)?.properties?.customerId;
        return typeof id === "string" ? id : undefined;
      });
      workspaceGuids.set(key, guid);
    }
    const workspaceId = await guid;
    if (workspaceId) d.workspaceId = workspaceId;
  }
  return destinations;
}
