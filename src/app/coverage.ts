import type { FindingKind } from "../domain/finding";
import type { EstateSnapshot } from "../domain/snapshot";
import type { InstanceTelemetry } from "../domain/telemetry";

/**
 * Which (kind, instance) pairs one sweep really evaluated. Triage resolves an open finding only where
 * this says yes; everything else is carried over, so a slower cadence or a failed read never looks like
 * a fix.
 */
export function coverageOf(
  estate: EstateSnapshot,
  telemetry: ReadonlyMap<string, InstanceTelemetry>,
  failedKinds: ReadonlySet<FindingKind>,
): (kind: FindingKind, instanceId: string) => boolean {
  const snapshots = new Map(estate.instances.map((s) => [s.instance.id.toLowerCase(), s]));
  const telemetryIds = new Set([...telemetry.keys()].map((id) => id.toLowerCase()));
  const lostInstances = new Set(estate.failures.map((f) => f.instanceId.toLowerCase()).filter((id) => id.includes("/providers/")));
  const unlistedSubscriptions = new Set(
    estate.failures
      .filter((f) => f.part === "instances")
      .map((f) => (f.instanceId.match(/^\/subscriptions\/([^/]+)/i)?.[1] ?? "*").toLowerCase()),
  );

  return (kind, instanceId) => {
    if (failedKinds.has(kind)) return false;
    const id = instanceId.toLowerCase();
    const snap = snapshots.get(id);
    if (!snap) {
      if (lostInstances.has(id)) return kind === "collection-failed" ? true : false;
      // Not listed although its subscription was: the instance is gone, and so are its problems.
      const sub = id.match(/^\/subscriptions\/([^/]+)/)?.[1] ?? "";
      return !unlistedSubscriptions.has("*") && !unlistedSubscriptions.has(sub);
    }
    switch (kind) {
      case "provisioning-stuck":
      case "provisioning-failed":
      case "certificate-expiring":
      case "collection-failed":
        return true;
      case "subscription-expiring":
      case "subscription-expired":
      case "subscription-suspended":
        return snap.subscriptions !== undefined;
      case "keyvault-refresh-failed":
      case "hygiene":
        return snap.config !== undefined;
      case "gateway-5xx-spike":
      case "auth-failure-burst":
        return telemetryIds.has(id) && !snap.failures.some((f) => f.part === "metrics");
      default:
        return false;
    }
  };
}
