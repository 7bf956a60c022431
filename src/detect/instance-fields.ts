/**
 * The routing fields every detection carries, taken from the instance it concerns.
 */
import type { ServiceInstance } from "../domain/snapshot";

/** `instance`, `instanceId`, `subscriptionId` and `resourceGroup` of a detection. */
export interface InstanceFields {
  instance: string;
  instanceId: string;
  subscriptionId: string;
  resourceGroup: string;
}

/** The routing fields of a detection about (something in) this instance. */
export function instanceFields(instance: ServiceInstance): InstanceFields {
  return {
    instance: instance.name,
    instanceId: instance.id,
    subscriptionId: instance.subscriptionId,
    resourceGroup: instance.resourceGroup,
  };
}

/** Routing fields parsed from an ARM id alone, for instances the sweep could not read at all. */
export function fieldsFromId(instanceId: string, name?: string): InstanceFields {
  const parts = instanceId.split("/");
  const after = (label: string): string => {
    const i = parts.findIndex((p) => p.toLowerCase() === label);
    return i >= 0 ? (parts[i + 1] ?? "") : "";
  };
  return {
    instance: name ?? after("service"),
    instanceId,
    subscriptionId: after("subscriptions"),
    resourceGroup: after("resourcegroups"),
  };
}
