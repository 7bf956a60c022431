import type { ResourceHealth, ServiceInstance } from "../domain/snapshot";
import type { AzureClients } from "./azure-clients";
import { isoOf } from "./map-service-instance";

const HEALTH_API_VERSION = "2022-10-01";

/** A Resource Health `availabilityStatuses/current` body → {@link ResourceHealth}. */
export function fromHealthBody(body: unknown): ResourceHealth {
  const p = ((body as { properties?: unknown } | undefined)?.properties ?? {}) as Record<string, unknown>;
  const health: ResourceHealth = { availabilityState: typeof p.availabilityState === "string" ? p.availabilityState : "Unknown" };
  if (typeof p.summary === "string" && p.summary) health.summary = p.summary;
  if (typeof p.reasonType === "string" && p.reasonType) health.reasonType = p.reasonType;
  const occurred = isoOf(p.occuredTime ?? p.occurredTime);
  if (occurred) health.occuredTime = occurred;
  return health;
}

/** Reads the instance's current Resource Health availability status. */
export async function readHealth(clients: AzureClients, instance: ServiceInstance): Promise<ResourceHealth> {
  return fromHealthBody(await clients.armGet(`${instance.id}/providers/Microsoft.ResourceHealth/availabilityStatuses/current?api-version=${HEALTH_API_VERSION}`));
}
