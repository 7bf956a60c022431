import type { SubscriptionContract, UserInfo } from "../domain/snapshot";
import type { ServiceInstance } from "../domain/snapshot";
import type { AzureClients } from "./azure-clients";
import { fromSdkSubscription } from "./map-config";
import { readUsers } from "./read-config";

/**
 * Reads an instance's subscription contracts (never their keys), naming owners from the instance's
 * users. `users` may be passed when the config read already has them, saving the calls.
 */
export async function readSubscriptions(clients: AzureClients, instance: ServiceInstance, users?: UserInfo[]): Promise<SubscriptionContract[]> {
  const apim = clients.apim(instance.subscriptionId);
  const owners = users ?? (await readUsers(apim, instance).catch(() => [] as UserInfo[]));
  const byName = new Map(owners.map((u) => [u.name.toLowerCase(), u]));
  const out: SubscriptionContract[] = [];
  for await (const s of apim.subscription.list(instance.resourceGroup, instance.name)) out.push(fromSdkSubscription(s, byName));
  return out;
}
