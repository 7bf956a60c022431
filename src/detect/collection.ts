/**
 * `collection-failed`: instances apimbot could not read, in whole or in part. One finding per instance.
 */
import type { Detection, Severity } from "../domain/finding";
import { fingerprint } from "../domain/fingerprint";
import type { CollectionFailure } from "../domain/snapshot";
import { portalUrl } from "../playbook/portal-url";
import { remediation } from "../playbook/playbook";
import { fieldsFromId, instanceFields, type InstanceFields } from "./instance-fields";
import { redactSecrets } from "./redact";
import type { DetectContext, Detector } from "./types";

function isForbidden(f: CollectionFailure): boolean {
  return f.status === 401 || f.status === 403 || /^(forbidden|unauthorized|authorizationfailed)$/i.test(f.code);
}

function variantOf(failures: readonly CollectionFailure[]): string | undefined {
  if (failures.some(isForbidden)) return "forbidden";
  if (failures.every((f) => f.status === 429 || /throttl/i.test(f.code))) return "throttled";
  return undefined;
}

function detect(ctx: DetectContext): Detection[] {
  // Group every failure by instance, whether the whole instance or only a part was lost.
  const byInstance = new Map<string, { fields: InstanceFields; failures: CollectionFailure[]; partial: boolean }>();
  const add = (fields: InstanceFields, f: CollectionFailure, partial: boolean) => {
    const key = fields.instanceId.toLowerCase();
    const entry = byInstance.get(key) ?? { fields, failures: [], partial };
    entry.failures.push(f);
    entry.partial = entry.partial && partial;
    byInstance.set(key, entry);
  };
  for (const snapshot of ctx.estate.instances) for (const f of snapshot.failures) add(instanceFields(snapshot.instance), f, true);
  for (const f of ctx.estate.failures) if (f.instanceId) add(fieldsFromId(f.instanceId, f.instance), f, false);

  const out: Detection[] = [];
  for (const { fields, failures, partial } of byInstance.values()) {
    const memory = ctx.prior.instances.get(fields.instanceId) ?? [...ctx.prior.instances.values()].find((m) => m.instanceId.toLowerCase() === fields.instanceId.toLowerCase());
    const forbidden = failures.filter(isForbidden);
    const variant = variantOf(failures);
    const lastReadOk = memory?.lastReadOk;
    const lostAccess = forbidden.length > 0 && lastReadOk !== undefined;
    const parts = [...new Set(failures.map((f) => f.part))];
    const first = forbidden[0] ?? failures[0];
    const status = first?.status !== undefined ? `${first.status} ${first.code}` : (first?.code ?? "an error");

    const severity: Severity = forbidden.length > 0 ? (partial ? "warning" : "critical") : partial ? "info" : "warning";
    const title = lostAccess
      ? `apimbot lost access to ${fields.instance}: ${status} reading ${parts.join(", ")}, last read OK ${lastReadOk}`
      : `apimbot could not read ${parts.join(", ")} of ${fields.instance} (${status})`;
    const summaryParts: string[] = [];
    if (lostAccess) {
      summaryParts.push(`Reading ${fields.instance} worked before (last successful read ${lastReadOk}) and now fails with ${status}: someone removed or narrowed apimbot's role assignment, and apimbot is blind there until it is restored.`);
    } else if (forbidden.length > 0) {
      summaryParts.push(`apimbot is not allowed to read ${parts.join(", ")} of ${fields.instance} (${status}); it has never read it successfully, so the role assignment is probably missing.`);
    } else {
      summaryParts.push(`Reading ${parts.join(", ")} of ${fields.instance} failed (${status}).${failures.every((f) => f.retryable) ? " The failure looks transient; the next sweep retries." : ""}`);
    }
    summaryParts.push(partial ? "The rest of the instance was read, so other findings for it are still current." : "Nothing else is known about this instance in this sweep.");
    if (!lostAccess) summaryParts.push(lastReadOk ? `Last successful read: ${lastReadOk}.` : "It has not been read successfully before.");

    out.push({
      id: fingerprint("collection-failed", fields.instanceId),
      kind: "collection-failed",
      severity,
      resourceId: fields.instanceId,
      ...fields,
      cause: first?.code,
      title,
      summary: summaryParts.join(" "),
      evidence: {
        failures: failures.map((f) => ({ part: f.part, status: f.status ?? null, code: f.code, message: redactSecrets(f.message), retryable: f.retryable, at: f.at })),
        lastReadOk: lastReadOk ?? null,
        lastFailureStatus: memory?.lastFailureStatus ?? null,
        lostAccess,
        partial,
      },
      remediation: remediation("collection-failed", variant, {
        instance: fields.instance,
        resourceGroup: fields.resourceGroup,
        subscriptionId: fields.subscriptionId,
        readScope: `the instance ${fields.instance}, its resource group ${fields.resourceGroup} or subscription ${fields.subscriptionId}`,
      }),
      portalUrl: portalUrl(fields.instanceId, forbidden.length > 0 ? "accessControl" : "overview"),
    });
  }
  return out;
}

/** The collection failure detector. */
export const collectionDetector: Detector = {
  id: "collection",
  kinds: ["collection-failed"],
  title: "Instances apimbot could not read",
  description:
    "One finding per instance with read failures, whole or partial. A 401/403 on an instance that was read successfully before (remembered as `lastReadOk`) means someone removed apimbot's role: the finding says apimbot is blind there and when it last read the instance. Losing a whole instance to 401/403 is critical; a partial 401/403 a warning; other partial failures info.",
  defaults: () => ({ "forbidden statuses": "401, 403" }),
  notes: ["apimbot needs Reader on the instances (or their resource groups or subscriptions), Monitoring Reader for metrics and Log Analytics Reader for gateway logs; it never calls listSecrets."],
  detect,
};
