import type { CollectionFailure, ServiceInstance } from "../domain/snapshot";
import type { Logger } from "../domain/logger";
import type { AzureClients } from "./azure-clients";
import { fromArmService, fromSdkService } from "./map-service-instance";
import { kqlString } from "./kql-string";
import { mapLimit } from "./map-limit";
import { toCollectionFailure } from "./to-collection-failure";

/** Resource Graph returns at most 1,000 rows per page. */
const PAGE = 1000;

/** The Resource Graph query that lists APIM services, optionally limited to some subscriptions. */
export function instancesQuery(subscriptionIds: readonly string[]): string {
  const scope = subscriptionIds.length > 0 ? ` | where subscriptionId in (${subscriptionIds.map(kqlString).join(", ")})` : "";
  // Resource Graph reports `type` in lower case; `=~` keeps the match case-insensitive either way.
  return `resources | where type =~ 'microsoft.apimanagement/service'${scope} | project id, name, type, location, resourceGroup, subscriptionId, sku, properties, identity, zones, tags | order by id asc`;
}

/** Instances found, and subscriptions that could not be listed. */
export interface InstanceListing {
  instances: ServiceInstance[];
  failures: CollectionFailure[];
  source: "resourcegraph" | "arm";
}

async function viaResourceGraph(clients: AzureClients, subscriptionIds: readonly string[], log: Logger): Promise<ServiceInstance[]> {
  const query = instancesQuery(subscriptionIds);
  const out: ServiceInstance[] = [];
  let skipToken: string | undefined;
  let pages = 0;
  do {
    const response = await clients.graph().resources({
      query,
      ...(subscriptionIds.length > 0 ? { subscriptions: [...subscriptionIds] } : {}),
      options: { top: PAGE, resultFormat: "objectArray", ...(skipToken ? { skipToken } : {}) },
    });
    const rows: unknown = response.data;
    if (!Array.isArray(rows)) throw Object.assign(new Error("Resource Graph answered without a data array"), { code: "MalformedResponse" });
    for (const row of rows) {
      const instance = fromArmService(row);
      if (instance) out.push(instance);
      else log.warn("skipped a Resource Graph row without id or name");
    }
    skipToken = response.skipToken || undefined;
    pages++;
  } while (skipToken && pages < 1000);
  return out;
}

async function accessibleSubscriptions(clients: AzureClients): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = "/subscriptions?api-version=2022-12-01";
  while (next) {
    const body = (await clients.armGet(next)) as { value?: { subscriptionId?: unknown }[]; nextLink?: unknown } | undefined;
    for (const s of body?.value ?? []) if (typeof s.subscriptionId === "string") ids.push(s.subscriptionId);
    const link: string | undefined = typeof body?.nextLink === "string" ? body.nextLink : undefined;
    next = link ? link.replace(/^https?:\/\/[^/]+/, "") : undefined;
  }
  return ids;
}

/**
 * Lists APIM instances: one Resource Graph query per 1,000 instances, or, when Resource Graph fails,
 * ARM's list by subscription, one subscription at a time so that one denied subscription loses only itself.
 */
export async function listInstances(clients: AzureClients, subscriptionIds: readonly string[], now: Date, log: Logger, concurrency: number): Promise<InstanceListing> {
  try {
    return { instances: await viaResourceGraph(clients, subscriptionIds, log), failures: [], source: "resourcegraph" };
  } catch (err) {
    log.warn("Resource Graph failed; listing instances through ARM per subscription", { error: toCollectionFailure(err, { instanceId: "", instance: "", part: "instances", at: now }).message });
  }
  const failures: CollectionFailure[] = [];
  let subs = [...subscriptionIds];
  if (subs.length === 0) {
    try {
      subs = await accessibleSubscriptions(clients);
    } catch (err) {
      failures.push(toCollectionFailure(err, { instanceId: "/subscriptions", instance: "", part: "instances", at: now }));
      return { instances: [], failures, source: "arm" };
    }
  }
  const perSub = await mapLimit(subs, concurrency, async (sub) => {
    const found: ServiceInstance[] = [];
    try {
      for await (const s of clients.apim(sub).apiManagementService.list()) {
        const instance = fromSdkService(s);
        if (instance) found.push(instance);
      }
    } catch (err) {
      failures.push(toCollectionFailure(err, { instanceId: `/subscriptions/${sub}`, instance: "", part: "instances", at: now }));
    }
    return found;
  });
  return { instances: perSub.flat(), failures, source: "arm" };
}
