/**
 * What apimbot remembers about each instance between sweeps: provisioning state and since when, and
 * when it was last read well or badly.
 */
import type { InstanceMemory } from "../domain/prior";
import type { CollectionFailure, EstateSnapshot } from "../domain/snapshot";

function key(instanceId: string): string {
  return instanceId.toLowerCase();
}

function worstStatus(failures: readonly CollectionFailure[]): number | undefined {
  // A 401/403 says access was taken away, which matters more to the reader than a passing 5xx.
  const statuses = failures.map((f) => f.status).filter((s): s is number => s !== undefined);
  return statuses.find((s) => s === 401 || s === 403) ?? statuses[0];
}

function withFailure(memory: InstanceMemory, failures: readonly CollectionFailure[], nowIso: string): InstanceMemory {
  const next: InstanceMemory = { ...memory, lastFailureAt: nowIso };
  const status = worstStatus(failures);
  if (status === undefined) delete next.lastFailureStatus;
  else next.lastFailureStatus = status;
  return next;
}

/**
 * Next sweep's instance memory. Instances this sweep did not see at all are kept as they were, so a
 * failed listing forgets nothing.
 */
export function updateInstanceMemory(prior: ReadonlyMap<string, InstanceMemory>, estate: EstateSnapshot, now: Date): InstanceMemory[] {
  const nowIso = now.toISOString();
  const byKey = new Map<string, InstanceMemory>();
  for (const memory of prior.values()) byKey.set(key(memory.instanceId), memory);

  for (const snap of estate.instances) {
    const id = snap.instance.id;
    const before = byKey.get(key(id));
    let next: InstanceMemory = { ...before, instanceId: id, instance: snap.instance.name };
    const state = snap.instance.provisioningState;
    if (before?.provisioningState?.toLowerCase() !== state.toLowerCase() || before?.stateSince === undefined) {
      next.provisioningState = state;
      next.stateSince = nowIso;
    } else {
      next.provisioningState = state;
    }
    if (snap.subscriptions !== undefined) next.contractsReadAt = snap.subscriptionsReadAt ?? nowIso;
    if (snap.logDestinations !== undefined) next.logDestinations = snap.logDestinations;
    if (snap.config !== undefined) next.configReadAt = nowIso;
    if (snap.failures.length === 0) next.lastReadOk = nowIso;
    else next = withFailure(next, snap.failures, nowIso);
    byKey.set(key(id), next);
  }

  // Whole-instance failures: nothing was read, so only the failure is news.
  const lost = new Map<string, CollectionFailure[]>();
  for (const failure of estate.failures) {
    if (!failure.instanceId) continue;
    const list = lost.get(key(failure.instanceId)) ?? [];
    list.push(failure);
    lost.set(key(failure.instanceId), list);
  }
  for (const [k, failures] of lost) {
    const first = failures[0] as CollectionFailure;
    const before = byKey.get(k) ?? { instanceId: first.instanceId, instance: first.instance };
    byKey.set(k, withFailure(before, failures, nowIso));
  }
  return [...byKey.values()].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
}
